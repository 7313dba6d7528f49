// Working a notebook the way a user does, in JupyterLab 4 and Notebook 7
// (both are built from the same notebook widgets).

/** The notebook panel in front. */
export function panel(page) {
  return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)').first();
}

/** The code and markdown cells of the notebook in front. */
export function cells(page) {
  return panel(page).locator('.jp-Notebook .jp-Cell');
}

/** A cell's input prompt once it shows an execution count: "[3]:". */
export function executed(cell) {
  return cell.locator('.jp-InputPrompt').filter({ hasText: /^\s*\[\d+\]:\s*$/ });
}

/** The cell's execution count, or null while it is queued or running. */
export async function executionCount(cell) {
  const text = (await cell.locator('.jp-InputPrompt').innerText()).trim();
  const m = /^\[(\d+)\]:$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** Waits until the kernel indicator of the notebook in front says state ('idle', 'busy', ...). */
export async function waitKernel(page, state, timeout = 30_000) {
  await panel(page).locator(`.jp-Notebook-ExecutionIndicator[data-status="${state}"]`).waitFor({ timeout });
}

/**
 * Puts code into cell i (clicking into its editor) and runs it with
 * Shift+Enter. Multi-line code is inserted as one edit, as a paste would
 * be, so that the editor's auto-indent does not re-indent it; single lines
 * are typed key by key. Resolves when the cell shows its execution count
 * unless wait is false.
 */
export async function runCell(page, i, code, { wait = true, timeout = 30_000 } = {}) {
  const cell = cells(page).nth(i);
  await typeInto(page, cell, code);
  await page.keyboard.press('Shift+Enter');
  if (wait) await executed(cell).waitFor({ timeout });
  return cell;
}

/** Clicks into the editor of cell and enters code at the cursor. */
export async function typeInto(page, cell, code) {
  await cell.locator('.cm-content').click();
  if (code.includes('\n')) await page.keyboard.insertText(code);
  else await page.keyboard.type(code);
}

/** Text of the stream outputs (stdout and stderr) of a cell. */
export async function streamText(cell) {
  const parts = await cell
    .locator('.jp-OutputArea-output[data-mime-type^="application/vnd.jupyter.std"]')
    .allInnerTexts();
  return parts.join('');
}

/** The text/plain of a cell's execute_result. */
export async function resultText(cell) {
  const res = cell.locator('.jp-OutputArea-executeResult .jp-OutputArea-output');
  if ((await res.count()) === 0) return null;
  return (await res.first().innerText()).trim();
}

/** Chooses top > item from the menu bar, by the labels a user reads. */
export async function menu(page, top, item) {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: new RegExp(`^${top}$`) }).click();
  const entry = page.locator('.lm-Menu:not(.lm-mod-hidden) .lm-Menu-item').filter({
    has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  });
  await entry.click();
}
