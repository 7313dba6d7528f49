// Notebook 7 with the goawait kernel: the tour notebook, cleared and run
// again with Run > Run All Cells, shows what its stored outputs say.

import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import { launch, screenshot } from './lib/browser.mjs';
import { stages } from './lib/stages.mjs';
import { protocolProblems, recordKernelMessages } from './lib/wire.mjs';
import { JupyterServer } from './lib/jupyter.mjs';
import { ROOT } from './lib/paths.mjs';
import { cells, executionCount, menu, panel, resultText, waitKernel } from './lib/notebook.mjs';

const TOUR = join(ROOT, 'notebooks', 'tour.ipynb');

const joined = (v) => (Array.isArray(v) ? v.join('') : (v ?? ''));

/** What each code cell of the stored notebook shows, in the terms the page can be read in. */
function expectations(nbPath) {
  const nb = JSON.parse(readFileSync(nbPath, 'utf8'));
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => {
      const of = (type) => c.outputs.filter((o) => o.output_type === type);
      return {
        source: joined(c.source),
        stdout: of('stream')
          .filter((o) => o.name === 'stdout')
          .map((o) => joined(o.text))
          .join(''),
        result: of('execute_result').map((o) => joined(o.data['text/plain']))[0] ?? null,
        html: of('display_data')
          .map((o) => joined(o.data['text/html']))
          .filter(Boolean),
        error: of('error').length > 0,
      };
    })
    .map((cell) => {
      const late = LATE.find((l) => cell.source.includes(l.source));
      return late ? { ...cell, stdout: cell.stdout + late.stdout } : cell;
    });
}

/**
 * Output that a live front end shows and the stored notebook does not: a
 * task started in a cell goes on printing into that cell while the next
 * cells run (the tour says so), after the cell's own reply. nbclient, which
 * wrote the stored outputs, stops listening to a cell at its reply, so only
 * what came before is stored there.
 */
const LATE = [{ source: 't := asyncio.CreateTask(ticker(3))', stdout: 'tick 2\ntick 3\n' }];

/**
 * Lines whose content depends on timing (a duration rounded to 100 ms) are
 * compared by shape.
 */
function timingFree(text) {
  return text.replace(/took about \d+(\.\d+)?m?s/g, 'took about <duration>');
}

describe('Notebook 7', () => {
  let server;
  let browser;
  let page;
  let wire;
  const expected = expectations(TOUR);

  before(
    async () => {
      // Every cell in the page (no windowing), so that all outputs can be read.
      server = await new JupyterServer('notebook', { settings: { windowingMode: 'none' } }).start();
      copyFileSync(TOUR, join(server.notebookDir, 'tour.ipynb'));
      browser = await launch();
      page = browser.page;
      wire = recordKernelMessages(page);
    },
    { timeout: 180_000 },
  );

  after(async () => {
    browser?.saveConsole('notebook-browser-console');
    wire?.save('notebook-kernel-messages');
    await browser?.close();
    await server?.stop();
  });

  const step = stages('notebook', (file) => screenshot(page, file));
  const codeCells = () => cells(page).and(page.locator('.jp-CodeCell'));

  step('01-open-tour', async () => {
    await page.goto(server.page('/notebooks/tour.ipynb'));
    await waitKernel(page, 'idle', 60_000);
    await panel(page).locator('.jp-KernelName', { hasText: 'Go (goawait)' }).waitFor();
    assert.equal(await codeCells().count(), expected.length, 'the page shows every code cell of tour.ipynb');
  });

  step('02-clear-outputs', async () => {
    await menu(page, 'Edit', 'Clear Outputs of All Cells');
    await panel(page).locator('.jp-OutputArea-output').first().waitFor({ state: 'detached' });
    for (let i = 0; i < expected.length; i++) {
      assert.equal(await executionCount(codeCells().nth(i)), null, `cell ${i} has no execution count left`);
    }
  });

  step('03-run-all', async () => {
    await menu(page, 'Run', 'Run All Cells');
    // Every code cell gets its count, in order, and the kernel goes idle.
    const last = codeCells().nth(expected.length - 1);
    await last.locator('.jp-InputPrompt').filter({ hasText: `[${expected.length}]:` }).waitFor({ timeout: 60_000 });
    await waitKernel(page, 'idle');
    for (let i = 0; i < expected.length; i++) {
      assert.equal(await executionCount(codeCells().nth(i)), i + 1, `cell ${i} ran as number ${i + 1}`);
    }
  });

  step('04-no-errors', async () => {
    const errors = await panel(page)
      .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
      .allInnerTexts();
    assert.deepEqual(errors, [], 'no error or stderr output');
  });

  step('05-outputs-match-stored', async () => {
    assert.equal(
      expected.filter((c) => LATE.some((l) => c.source.includes(l.source))).length,
      LATE.length,
      'the cells with late output are in tour.ipynb',
    );
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i];
      const cell = codeCells().nth(i);
      const what = `cell ${i} (${want.source.split('\n')[0]})`;
      const stdout = (
        await cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]').allInnerTexts()
      ).join('');
      assert.equal(timingFree(stdout), timingFree(want.stdout), `${what}: stdout`);
      const shown = cell.locator('.jp-OutputArea-executeResult .jp-OutputArea-output').first();
      if ((await shown.count()) > 0 && (await shown.getAttribute('data-mime-type')) === 'image/svg+xml') {
        // A rich result (asyncio.Timeline()) is drawn, not written: the
        // picture must be there and say what its text/plain says.
        const svg = decodeURIComponent(await shown.innerHTML());
        assert.ok(svg.includes('<svg'), `${what}: an SVG is drawn`);
        assert.ok(svg.includes(want.result.replace(/^Timeline: /, '')), `${what}: the picture says "${want.result}"`);
      } else {
        assert.equal(await resultText(cell), want.result, `${what}: result`);
      }
      const html = await cell
        .locator('.jp-OutputArea-output[data-mime-type="text/html"]')
        .evaluateAll((els) => els.map((e) => e.innerHTML));
      assert.deepEqual(html, want.html, `${what}: HTML displays`);
    }
  });

  step('06-protocol', async () => {
    // Every kernel message the page received, checked against the protocol.
    const received = wire.log.filter((m) => m.dir === 'received');
    assert.ok(received.length > 20, `kernel messages seen on the websocket: ${received.length}`);
    const path = wire.save('notebook-kernel-messages');
    assert.deepEqual(protocolProblems(wire.log), [], `kernel messages (all in ${path})`);
  });
});
