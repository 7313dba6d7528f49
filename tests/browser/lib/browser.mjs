// Debian's Chromium driven by playwright-core (no browser download), and
// stages that leave a screenshot behind whether they pass or fail.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { recordPid } from './jupyter.mjs';
import { ARTIFACTS } from './paths.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fresh browser (its own new --user-data-dir) with one page. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'goawait-chromium-'));
  recordPid('dir', 0, profile);
  // launchPersistentContext passes profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 1000 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(30_000);
  const page = context.pages()[0] || (await context.newPage());
  const console = [];
  page.on('console', (msg) => console.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (err) => console.push(`[pageerror] ${err.message}`));
  return {
    context,
    page,
    console,
    /** Saves what the page logged (console, page errors) as artifacts/<name>.log. */
    saveConsole(name) {
      writeFileSync(join(ARTIFACTS, `${name}.log`), console.map((l) => `${l}\n`).join(''));
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as artifacts/<name>.png and returns its path. */
export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false, timeout: 15_000 });
  return path;
}
