// `jupyter console --kernel goawait` in a real terminal (tmux): multi-line
// input decided by is_complete_request, results, and history that outlives
// the kernel.

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';

import { JUPYTER, recordPid, until } from './lib/jupyter.mjs';
import { ROOT } from './lib/paths.mjs';
import { stages } from './lib/stages.mjs';
import { Tmux, endProcesses, pidsWithArg } from './lib/tmux.mjs';

/**
 * The inputs in a kernel's history store (SQLite, tables sessions and
 * history(session, line, input)), oldest first, read with the project
 * venv's Python so the test needs no SQLite module of its own.
 */
function storedInputs(path) {
  const python = join(ROOT, '.venv', 'bin', 'python');
  const script = [
    'import json, sqlite3, sys',
    'db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)',
    'rows = db.execute("SELECT input FROM history ORDER BY session, line")',
    'print(json.dumps([input for (input,) in rows]))',
  ].join('\n');
  return JSON.parse(execFileSync(python, ['-c', script, path], { encoding: 'utf8' }));
}

describe('jupyter console', () => {
  const tmux = new Tmux();
  const n = randomInt(1000, 1_000_000); // this run's own input, to find in history
  const sessions = []; // [{ name, connectionFile }]
  let current;

  // A data dir of its own, where the kernel keeps history
  // (goawait/history.sqlite): what the second console recalls can only come
  // from the first. The kernelspec is still found in the shared one.
  const dataDir = join(tmux.dir, 'data');
  const env = {
    JUPYTER_DATA_DIR: dataDir,
    JUPYTER_PATH: [process.env.JUPYTER_DATA_DIR, process.env.JUPYTER_PATH].filter(Boolean).join(':'),
  };

  /** Starts a console that starts its own goawait kernel. */
  function startConsole(name) {
    const connectionFile = join(tmux.dir, `${name}.json`);
    const argv = [JUPYTER, 'console', '--kernel', 'goawait', `--ZMQTerminalIPythonApp.connection_file=${connectionFile}`];
    tmux.start(name, argv, env, connectionFile);
    recordPid('arg', 0, connectionFile); // its kernel
    sessions.push({ name, connectionFile });
    current = name;
  }

  /** Leaves the console as a user does: Ctrl+D, then y to "Do you really want to exit". */
  async function exitConsole(name) {
    tmux.press(name, 'C-d');
    await tmux.waitFor(name, /Do you really want to exit \(\[y\]\/n\)\?\s*$/, 'the exit question');
    tmux.type(name, 'y');
    tmux.press(name, 'Enter');
    await until('the console to exit', () => tmux.dead(name), { timeout: 20_000 });
  }

  const step = stages('console', (file) => tmux.save(current, file));

  before(
    async () => {
      await tmux.startServer();
      startConsole('first');
    },
    { timeout: 30_000 },
  );

  after(async () => {
    for (const { name, connectionFile } of sessions) {
      try {
        if (!tmux.dead(name)) {
          tmux.press(name, 'C-c'); // drop a half-typed input
          await exitConsole(name);
        }
      } catch {
        // Ended below.
      }
      try {
        if (!tmux.dead(name)) await endProcesses([tmux.panePid(name)]);
      } catch {
        // No tmux left.
      }
      // The kernel the console started is the one process started with this file.
      await endProcesses(pidsWithArg(connectionFile));
    }
    await tmux.kill();
  });

  step('01-start', async () => {
    await tmux.waitFor('first', /^In \[1\]:[ \t]*$/m, 'the first prompt', 60_000);
    assert.match(tmux.screen('first'), /goawait/, 'the banner names the kernel');
  });

  step('02-multi-line-input', async () => {
    tmux.type('first', 'func add(a, b int) int {');
    tmux.press('first', 'Enter');
    // is_complete_reply "incomplete": a continuation prompt, not a run.
    await tmux.waitFor('first', /^In \[1\]: func add\(a, b int\) int \{\n\s+\.\.\.:/m, 'a continuation prompt');
    tmux.type('first', 'return a + b');
    tmux.press('first', 'Enter');
    await tmux.waitFor('first', /\.\.\.:\s*return a \+ b\n\s+\.\.\.:/, 'a second continuation prompt');
    assert.doesNotMatch(tmux.text('first'), /In \[2\]/, 'nothing ran yet');
    tmux.type('first', '}');
    tmux.press('first', 'Enter');
    await tmux.waitFor('first', /^In \[2\]:[ \t]*$/m, 'the next prompt once the function is complete');
    assert.doesNotMatch(tmux.text('first'), /Out\[1\]|rror/, 'a declaration shows nothing');
  });

  step('03-call', async () => {
    tmux.type('first', 'add(2, 3)');
    tmux.press('first', 'Enter');
    await tmux.waitFor('first', /^Out\[2\]: 5$/m, 'Out[2]: 5');
    tmux.type('first', `add(${n}, 1)`);
    tmux.press('first', 'Enter');
    await tmux.waitFor('first', new RegExp(`^Out\\[3\\]: ${n + 1}$`, 'm'), `Out[3]: ${n + 1}`);
    await tmux.waitFor('first', /^In \[4\]:[ \t]*$/m, 'the next prompt');
  });

  step('04-exit', async () => {
    await exitConsole('first');
    assert.match(tmux.text('first'), /Shutting down kernel/);
    const { connectionFile } = sessions[0];
    await until('the kernel to end with its console', () => pidsWithArg(connectionFile).length === 0, {
      timeout: 10_000,
    });
    const history = storedInputs(join(dataDir, 'goawait', 'history.sqlite'));
    assert.deepEqual(history, ['func add(a, b int) int {\n    return a + b\n    }', 'add(2, 3)', `add(${n}, 1)`]);
  });

  step('05-history-after-restart', async () => {
    startConsole('second');
    await tmux.waitFor('second', /^In \[1\]:[ \t]*$/m, 'the first prompt of a new console', 60_000);
    // Up arrow: the history the new kernel answered to history_request.
    tmux.press('second', 'Up');
    await tmux.waitFor('second', new RegExp(`^In \\[1\\]: add\\(${n}, 1\\)$`, 'm'), 'the last input of the earlier kernel');
    tmux.press('second', 'Up');
    await tmux.waitFor('second', /^In \[1\]: add\(2, 3\)$/m, 'the input before it');
    tmux.press('second', 'Up');
    await tmux.waitFor(
      'second',
      /^In \[1\]: func add\(a, b int\) int \{\n\s+\.\.\.:\s*return a \+ b\n\s+\.\.\.:\s*\}$/m,
      'the multi-line function, whole',
    );
    // Run the recalled function in the new kernel and use it.
    tmux.press('second', 'Enter');
    await tmux.waitFor('second', /^In \[2\]:[ \t]*$/m, 'the next prompt');
    tmux.type('second', `add(${n}, 1)`);
    tmux.press('second', 'Enter');
    await tmux.waitFor('second', new RegExp(`^Out\\[2\\]: ${n + 1}$`, 'm'), `Out[2]: ${n + 1}`);
  });

  step('06-exit-again', async () => {
    await exitConsole('second');
    const { connectionFile } = sessions[1];
    await until('the second kernel to end', () => pidsWithArg(connectionFile).length === 0, { timeout: 10_000 });
  });
});
