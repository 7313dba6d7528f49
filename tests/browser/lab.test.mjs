// JupyterLab 4 with the goawait kernel, driven in headless Chromium as a
// user drives it: launcher card, typing, Shift+Enter, Tab, Shift+Tab, the
// toolbar's interrupt button, the Kernel menu, Ctrl+S.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import { launch, screenshot } from './lib/browser.mjs';
import { stages } from './lib/stages.mjs';
import { protocolProblems, recordKernelMessages } from './lib/wire.mjs';
import { JupyterServer, until } from './lib/jupyter.mjs';
import { ARTIFACTS } from './lib/paths.mjs';
import {
  cells,
  executed,
  executionCount,
  menu,
  panel,
  resultText,
  runCell,
  streamText,
  typeInto,
  waitKernel,
} from './lib/notebook.mjs';

const NAME = 'goawait-lab.ipynb';

describe('JupyterLab 4', () => {
  let server;
  let browser;
  let page;
  let wire;
  // Cell indexes, in the order the stages add cells.
  let n = 0;
  const at = {};

  before(
    async () => {
      server = await new JupyterServer('lab').start();
      browser = await launch();
      page = browser.page;
      wire = recordKernelMessages(page);
    },
    { timeout: 180_000 },
  );

  after(async () => {
    browser?.saveConsole('lab-browser-console');
    wire?.save('lab-kernel-messages');
    await browser?.close();
    await server?.stop();
  });

  const step = stages('lab', (file) => screenshot(page, file));

  step('01-launcher', async () => {
    await page.goto(server.page('/lab'));
    const card = page.locator('.jp-LauncherCard[data-category="Notebook"][title="Go (goawait)"]');
    await card.click({ timeout: 60_000 });
    await waitKernel(page, 'idle', 60_000);
    await assert.doesNotReject(
      panel(page).locator('.jp-KernelName', { hasText: 'Go (goawait)' }).waitFor({ timeout: 5_000 }),
      'the toolbar names the kernel Go (goawait)',
    );
    const kernels = await until('the server to list the kernel', async () => {
      const ks = await server.kernels();
      return ks.length > 0 && ks;
    });
    assert.deepEqual(
      kernels.map((k) => k.name),
      ['goawait'],
      'one goawait kernel runs',
    );
  });

  step('02-hello-world', async () => {
    // Typed key by key: Enter between the lines, Shift+Enter to run.
    const cell = cells(page).nth(n);
    await typeInto(page, cell, 'import "fmt"');
    await page.keyboard.press('Enter');
    await page.keyboard.type('fmt.Println("hello, world")');
    await page.keyboard.press('Shift+Enter');
    await executed(cell).waitFor();
    at.hello = n++;
    assert.equal(await streamText(cell), 'hello, world\n');
    assert.equal(await executionCount(cell), 1);
  });

  step('03-function-across-cells', async () => {
    await runCell(page, n++, 'func double(x int) int {\n\treturn 2 * x\n}');
    const cell = await runCell(page, n++, 'double(21)');
    assert.equal(await resultText(cell), '42');
  });

  step('04-await-gather-order', async () => {
    const cell = await runCell(
      page,
      n++,
      [
        'import "time"',
        '',
        'async func worker(name string) {',
        '\tfor i := 0; i < 2; i++ {',
        '\t\tfmt.Println(name + fmt.Sprint(i))',
        '\t\tawait asyncio.Sleep(20 * time.Millisecond)',
        '\t}',
        '}',
        '',
        'await asyncio.Gather(worker("A"), worker("B"))',
      ].join('\n'),
    );
    assert.equal(await streamText(cell), 'A0\nB0\nA1\nB1\n');
    assert.equal(await resultText(cell), '[<nil> <nil>]');
  });

  step('05-background-task-output-goes-to-its-cell', async () => {
    const starter = await runCell(
      page,
      n,
      [
        'async func later() {',
        '\tawait asyncio.Sleep(1 * time.Second)',
        '\tfmt.Println("background done")',
        '}',
        '',
        'bg := asyncio.CreateTask(later())',
        'fmt.Println("started")',
      ].join('\n'),
    );
    at.starter = n++;
    assert.equal(await streamText(starter), 'started\n');
    const t0 = Date.now();
    // Another cell runs (and gives the loop way) while the task sleeps.
    const other = await runCell(page, n++, 'await asyncio.Sleep(3 * time.Second)\nfmt.Println("other cell done")', {
      wait: false,
    });
    await starter.locator('.jp-OutputArea-output', { hasText: 'background done' }).waitFor({ timeout: 10_000 });
    const late = Date.now() - t0;
    assert.equal(
      await executionCount(other),
      null,
      'the background output arrived while the other cell was still running',
    );
    await executed(other).waitFor();
    assert.equal(await streamText(starter), 'started\nbackground done\n');
    assert.equal(await streamText(other), 'other cell done\n');
    assert.ok(late > 300, `background output came ${late} ms after the other cell started, not at once`);
  });

  step('06-display-html-and-png', async () => {
    const html = await runCell(page, n++, 'import "goawait/display"\n\ndisplay.HTML("<b id=x>bold</b>")');
    const b = html.locator('.jp-RenderedHTMLCommon b#x');
    await b.waitFor();
    assert.equal(await b.innerText(), 'bold');

    const png = await runCell(
      page,
      n++,
      [
        'import (',
        '\t"image"',
        '\t"image/color"',
        ')',
        '',
        'img := image.NewRGBA(image.Rect(0, 0, 8, 6))',
        'for x := 0; x < 8; x++ {',
        '\tfor y := 0; y < 6; y++ {',
        '\t\timg.Set(x, y, color.RGBA{200, 30, 30, 255})',
        '\t}',
        '}',
        'display.Image(img)',
      ].join('\n'),
    );
    const img = png.locator('.jp-RenderedImage img');
    await img.waitFor();
    assert.match(await img.getAttribute('src'), /^data:image\/png;base64,/);
    // The browser decoded the PNG: its size is the image's.
    const size = await until('the PNG to decode', () =>
      img.evaluate((el) => el.complete && el.naturalWidth > 0 && [el.naturalWidth, el.naturalHeight]),
    );
    assert.deepEqual(size, [8, 6]);
  });

  step('07-tab-completion', async () => {
    const cell = cells(page).nth(n);
    await typeInto(page, cell, 'fmt.Pr');
    await page.keyboard.press('Tab');
    const item = page.locator('.jp-Completer .jp-Completer-item[data-value="fmt.Println"]');
    await item.waitFor();
    await screenshot(page, 'lab-07-tab-completion-list');
    const values = await page.locator('.jp-Completer .jp-Completer-item').evaluateAll((els) =>
      els.map((e) => e.dataset.value),
    );
    assert.ok(values.includes('fmt.Println'), `completions: ${values}`);
    assert.ok(
      values.every((v) => v.startsWith('fmt.Pr')),
      `every completion matches fmt.Pr: ${values}`,
    );
    // Choose Println from the list.
    await item.click();
    await page.locator('.jp-Completer').waitFor({ state: 'hidden' });
    assert.equal(await cell.locator('.cm-content').innerText(), 'fmt.Println');
  });

  step('08-shift-tab-doc', async () => {
    const cell = cells(page).nth(n);
    await cell.locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Tab');
    const tip = page.locator('.jp-Tooltip');
    await tip.filter({ hasText: 'Println formats' }).waitFor();
    await screenshot(page, 'lab-08-shift-tab-doc-tooltip');
    const text = await tip.innerText();
    assert.match(text, /func Println\(a \.\.\.any\) \(n int, err error\)/);
    assert.match(text, /Println formats using the default formats/);
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    // Finish the line (Escape also left edit mode) and run it.
    await cell.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('("completed")');
    await page.keyboard.press('Shift+Enter');
    await executed(cell).waitFor();
    n++;
    assert.equal(await streamText(cell), 'completed\n');
  });

  step('09-interrupt-infinite-loop', async () => {
    await runCell(page, n++, 'counter := 7');
    const loop = await runCell(page, n++, 'for {\n}', { wait: false });
    await waitKernel(page, 'busy');
    assert.equal(await executionCount(loop), null, 'the loop runs');
    await panel(page).locator('.jp-Toolbar [data-command="notebook:interrupt-kernel"]').click();
    await executed(loop).waitFor({ timeout: 20_000 });
    await waitKernel(page, 'idle');
    assert.match(await loop.locator('.jp-OutputArea').innerText(), /Interrupted/);
    const later = await runCell(page, n++, 'counter * 6');
    assert.equal(await resultText(later), '42', 'the variable survived the interrupt');
  });

  step('10-restart-kernel', async () => {
    await menu(page, 'Kernel', 'Restart Kernel…');
    const dialog = page.locator('.jp-Dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Restart/);
    await dialog.locator('.jp-mod-accept').click();
    await dialog.waitFor({ state: 'hidden' });
    // The toolbar shows the restart, then the kernel idle again.
    await waitKernel(page, 'idle', 60_000);
    const cell = await runCell(page, n++, 'import "fmt"\nfmt.Println("hello again")');
    assert.equal(await streamText(cell), 'hello again\n');
    assert.equal(await executionCount(cell), 1, 'a new kernel counts from 1');
    const gone = await runCell(page, n++, 'counter');
    assert.match(await gone.locator('.jp-OutputArea').innerText(), /undefined: counter/);
  });

  step('11-save', async () => {
    await cells(page).nth(0).locator('.cm-content').click();
    await page.keyboard.press('Control+s');
    // First save of an untitled notebook asks for a name.
    const dialog = page.locator('.jp-Dialog');
    await dialog.waitFor();
    await dialog.locator('input[type="text"]').fill(NAME);
    await dialog.locator('.jp-mod-accept').click();
    await dialog.waitFor({ state: 'hidden' });
    const file = join(server.notebookDir, NAME);
    await page.locator('.lm-TabBar-tab.jp-mod-current', { hasText: NAME }).waitFor();
    await page.locator('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty').waitFor({ state: 'detached' });
    await until(`${file} to be written`, () => existsSync(file));
    const text = readFileSync(file, 'utf8');
    writeFileSync(join(ARTIFACTS, NAME), text);
    const nb = JSON.parse(text);
    assert.equal(nb.metadata.kernelspec.name, 'goawait');
    assert.equal(nb.metadata.kernelspec.display_name, 'Go (goawait)');
    assert.equal(nb.metadata.language_info?.name, 'go');
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    const src = (c) => (Array.isArray(c.source) ? c.source.join('') : c.source);
    const txt = (v) => (Array.isArray(v) ? v.join('') : v);
    const hello = code[at.hello];
    assert.equal(src(hello), 'import "fmt"\nfmt.Println("hello, world")');
    assert.deepEqual(
      hello.outputs.map((o) => [o.output_type, o.name, txt(o.text)]),
      [['stream', 'stdout', 'hello, world\n']],
    );
    assert.equal(hello.execution_count, 1);
    const starter = code[at.starter];
    assert.equal(
      starter.outputs
        .filter((o) => o.output_type === 'stream')
        .map((o) => txt(o.text))
        .join(''),
      'started\nbackground done\n',
    );
    const displays = code.flatMap((c) => c.outputs.filter((o) => o.output_type === 'display_data'));
    assert.ok(
      displays.some((o) => txt(o.data['text/html']) === '<b id=x>bold</b>'),
      'the HTML display is saved',
    );
    assert.ok(
      displays.some((o) => typeof o.data['image/png'] === 'string' && o.data['image/png'].length > 20),
      'the PNG display is saved',
    );
    const results = code.flatMap((c) => c.outputs.filter((o) => o.output_type === 'execute_result'));
    assert.ok(results.some((o) => txt(o.data['text/plain']) === '42'));
  });

  step('12-protocol', async () => {
    // Every kernel message the page received, checked against the protocol.
    const received = wire.log.filter((m) => m.dir === 'received');
    assert.ok(received.length > 20, `kernel messages seen on the websocket: ${received.length}`);
    const path = wire.save('lab-kernel-messages');
    assert.deepEqual(protocolProblems(wire.log), [], `kernel messages (all in ${path})`);
  });
});
