// Stages: node:test tests that run in order, each leaving a picture of the
// front end behind (a screenshot, or the terminal's text), named after it.

import { test } from 'node:test';

export const STAGE_TIMEOUT = 120_000;

/**
 * Returns step(name, fn) for one suite. capture(file) saves the picture and
 * returns its path. A failing stage saves <prefix>-<name>-FAILED and adds
 * the path to its error; the stages after it are skipped, since each
 * builds on the state the earlier ones left.
 */
export function stages(prefix, capture) {
  let failed = null;
  return (name, fn) =>
    test(name, { timeout: STAGE_TIMEOUT }, async (t) => {
      if (failed) {
        t.skip(`stage ${failed} failed`);
        return;
      }
      try {
        await fn();
      } catch (err) {
        failed = name;
        let where;
        try {
          where = await capture(`${prefix}-${name}-FAILED`);
        } catch (captureErr) {
          where = `(none: ${captureErr.message})`;
        }
        const note = `picture of the failure: ${where}`;
        if (err && typeof err === 'object') {
          err.message = `${err.message}\n${note}`;
          if (typeof err.stack === 'string') err.stack = `${err.stack}\n${note}`;
        }
        throw err;
      }
      await capture(`${prefix}-${name}`);
    });
}
