// A terminal program run in tmux (its own server socket, no user config),
// typed into with send-keys and read with capture-pane.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { recordPid, until } from './jupyter.mjs';
import { ARTIFACTS } from './paths.mjs';

export class Tmux {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'goawait-tmux-'));
    recordPid('dir', 0, this.dir);
    this.socket = join(this.dir, 'sock');
    this.server = null;
  }

  /**
   * Starts the tmux server in the foreground (-D) as this process's child,
   * so that it and the programs in its panes are reaped when they end.
   */
  async startServer() {
    this.server = spawn('tmux', ['-S', this.socket, '-f', '/dev/null', '-D'], { stdio: 'ignore' });
    recordPid('pid', this.server.pid, this.socket);
    this.serverExited = new Promise((resolve) => {
      this.server.once('exit', resolve);
      this.server.once('error', resolve);
    });
    await until('the tmux server', () => existsSync(this.socket), { timeout: 10_000, interval: 20 });
    // Panes stay (dead) after their program exits, to be read and reaped.
    this.run('set-option', '-g', 'remain-on-exit', 'on');
  }

  run(...args) {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /**
   * Starts command (argv) in a new session of a 120x40 terminal; the pane
   * stays after it exits. marker: an argument unique to this program, by
   * which cleanup knows it.
   */
  start(name, argv, env = {}, marker = argv[argv.length - 1]) {
    const quote = (a) => `'${a.replaceAll("'", "'\\''")}'`;
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)}`);
    const command = `exec env ${assignments.join(' ')} ${argv.map(quote).join(' ')}`;
    this.run('new-session', '-d', '-s', name, '-x', '120', '-y', '40', command);
    const pid = this.panePid(name);
    recordPid('pid', pid, marker);
    return pid;
  }

  panePid(name) {
    return Number(this.run('display-message', '-p', '-t', name, '#{pane_pid}').trim());
  }

  /** Types text literally (no key names). */
  type(name, text) {
    this.run('send-keys', '-t', name, '-l', text);
  }

  /** Presses keys by tmux name: Enter, Up, C-d, ... */
  press(name, ...keys) {
    this.run('send-keys', '-t', name, ...keys);
  }

  /** What the terminal shows, scrollback included, trailing blank lines dropped. */
  screen(name) {
    return this.run('capture-pane', '-p', '-J', '-t', name, '-S', '-500').replace(/\s+$/, '');
  }

  dead(name) {
    return this.run('display-message', '-p', '-t', name, '#{pane_dead}').trim() === '1';
  }

  /**
   * The screen as matched by waitFor: prompt_toolkit shows a tab as the two
   * characters ^I, read back here as the tab it is.
   */
  text(name) {
    return this.screen(name).replaceAll('^I', '\t');
  }

  /** Waits until the screen matches re (an explicit condition on what the terminal shows). */
  async waitFor(name, re, what, timeout = 30_000) {
    try {
      return await until(what, () => re.exec(this.text(name)), { timeout, interval: 50 });
    } catch (err) {
      err.message += `\n--- terminal ---\n${this.screen(name)}\n---`;
      throw err;
    }
  }

  /** Saves the terminal's text as artifacts/<file>.txt and returns its path. */
  save(name, file) {
    const path = join(ARTIFACTS, `${file}.txt`);
    let text;
    try {
      text = this.screen(name);
    } catch (err) {
      text = `(no terminal: ${err.message})`;
    }
    writeFileSync(path, `${text}\n`);
    return path;
  }

  /** Ends the tmux server and its panes. */
  async kill() {
    try {
      this.run('kill-server');
    } catch {
      // Already gone.
    }
    if (this.server) {
      const gone = await Promise.race([
        this.serverExited.then(() => true),
        sleep(5_000, undefined, { ref: false }).then(() => false),
      ]);
      if (!gone) this.server.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Pids of the processes that have arg as one whole argument (a path unique
 * to this run, such as the connection file a kernel was started with).
 */
export function pidsWithArg(arg) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids.filter((p) => p !== process.pid);
}

/** SIGTERM to each pid, SIGKILL to those still there after 5 s; resolves when all are gone. */
export async function endProcesses(pids) {
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      // A zombie is gone for our purposes.
      return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  const signal = (pid, sig) => {
    try {
      process.kill(pid, sig);
    } catch {}
  };
  pids.forEach((pid) => signal(pid, 'SIGTERM'));
  try {
    await until('processes to end', () => pids.every((p) => !alive(p)), { timeout: 5_000 });
  } catch {
    pids.filter(alive).forEach((pid) => signal(pid, 'SIGKILL'));
  }
}
