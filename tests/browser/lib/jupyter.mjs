// Starting and stopping a Jupyter server (`jupyter lab` or `jupyter notebook`)
// from the project's .venv, on 127.0.0.1 with a free port, a random token
// and a fresh notebook directory.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ARTIFACTS, ROOT, PIDFILE } from './paths.mjs';

export const JUPYTER = join(ROOT, '.venv', 'bin', 'jupyter');

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Remembers a process for run.sh's trap (lib/cleanup.mjs), which ends it if
 * it is still there when the tests are over, however they ended: kind
 * 'group' (a process group led by pid), 'pid', 'arg' (processes that have
 * marker as a whole argument) or 'dir' (a temporary directory to remove). A pid is only signalled while its
 * command line still contains marker, never a process that took over its
 * number.
 */
export function recordPid(kind, pid, marker) {
  appendFileSync(PIDFILE, `${JSON.stringify({ kind, pid, marker })}\n`);
}

/** Polls fn until it returns a truthy value (explicit condition, not a fixed sleep). */
export async function until(what, fn, { timeout = 30_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      if (err.fatal) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await sleep(interval);
  }
}

/**
 * User settings: JupyterLab's pop-ups (news, updates) kept out of the way,
 * and the notebook settings given (@jupyterlab/notebook-extension:tracker).
 */
function writeSettings(dir, notebook) {
  const write = (plugin, file, value) => {
    mkdirSync(join(dir, plugin), { recursive: true });
    writeFileSync(join(dir, plugin, `${file}.jupyterlab-settings`), JSON.stringify(value));
  };
  write('@jupyterlab/apputils-extension', 'notification', { fetchNews: 'false', checkForUpdates: false });
  if (notebook) write('@jupyterlab/notebook-extension', 'tracker', notebook);
}

export class JupyterServer {
  /** app: 'lab' or 'notebook'; settings: notebook settings for its users. */
  constructor(app, { settings } = {}) {
    this.app = app;
    this.token = randomBytes(24).toString('hex');
    this.home = mkdtempSync(join(tmpdir(), `goawait-${app}-`));
    recordPid('dir', 0, this.home);
    this.notebookDir = join(this.home, 'notebooks');
    mkdirSync(this.notebookDir);
    this.settingsDir = join(this.home, 'user-settings');
    writeSettings(this.settingsDir, settings);
    this.log = join(ARTIFACTS, `jupyter-${app}.log`);
    this.proc = null;
    this.exited = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** url of path with the token, as a browser opens it the first time. */
  page(path) {
    return `${this.url}${path}${path.includes('?') ? '&' : '?'}token=${this.token}`;
  }

  async api(path, { method = 'GET', body } = {}) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `token ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  }

  async start() {
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        await this.#startOn(this.port);
        return this;
      } catch (err) {
        await this.stop({ keepHome: true });
        // Another process may have taken the port between freePort and bind.
        if (attempt >= 3) throw err;
      }
    }
  }

  async #startOn(port) {
    const out = openSync(this.log, 'a');
    const env = {
      ...process.env,
      JUPYTERLAB_SETTINGS_DIR: this.settingsDir,
      JUPYTERLAB_WORKSPACES_DIR: join(this.home, 'workspaces'),
      PYTHONUNBUFFERED: '1',
    };
    const args = [
      this.app,
      '--no-browser',
      '--ip=127.0.0.1',
      `--port=${port}`,
      '--ServerApp.port_retries=0',
      `--IdentityProvider.token=${this.token}`,
      `--ServerApp.root_dir=${this.notebookDir}`,
      '--ServerApp.shutdown_no_activity_timeout=600',
      '--MappingKernelManager.cull_idle_timeout=0',
    ];
    if (process.getuid?.() === 0) args.push('--allow-root'); // CI runs as root
    // Its own process group (detached), ended as a whole if all else fails.
    this.proc = spawn(JUPYTER, args, { cwd: this.notebookDir, env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    recordPid('group', this.proc.pid, this.token);
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => resolve({ code, signal }));
      this.proc.once('error', (err) => resolve({ error: err.message }));
    });
    let gone = null;
    this.exited.then((e) => (gone = e));
    await until(
      `jupyter ${this.app} to answer on port ${port} (log: ${this.log})`,
      async () => {
        if (gone) {
          const err = new Error(`jupyter ${this.app} exited (${JSON.stringify(gone)}); see ${this.log}`);
          err.fatal = true;
          throw err;
        }
        const res = await fetch(`${this.url}/api/status`, { headers: { Authorization: `token ${this.token}` } });
        return res.ok;
      },
      { timeout: 60_000, interval: 200 },
    );
  }

  /** Kernels the server runs now: [{id, name, execution_state, ...}]. */
  kernels() {
    return this.api('/api/kernels');
  }

  /** Ends the server: its kernels first (politely through the API), then the process group. */
  async stop({ keepHome = false } = {}) {
    if (!this.proc) {
      if (!keepHome) rmSync(this.home, { recursive: true, force: true });
      return;
    }
    const proc = this.proc;
    this.proc = null;
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        for (const k of await this.kernels()) {
          await this.api(`/api/kernels/${k.id}`, { method: 'DELETE' });
        }
        await this.api('/api/shutdown', { method: 'POST' });
      } catch {
        // Not answering: fall through to signals.
      }
      const exitsWithin = (ms) =>
        Promise.race([this.exited.then(() => true), sleep(ms, undefined, { ref: false }).then(() => false)]);
      if (!(await exitsWithin(10_000))) {
        try {
          process.kill(-proc.pid, 'SIGTERM');
        } catch {}
        if (!(await exitsWithin(5_000))) {
          try {
            process.kill(-proc.pid, 'SIGKILL');
          } catch {}
          await this.exited;
        }
      }
    }
    if (!keepHome) rmSync(this.home, { recursive: true, force: true });
  }
}
