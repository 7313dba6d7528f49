// run.sh's trap: ends what the tests started and left running (when a test
// process died or was killed before its own after hooks ran). Reads the
// records of lib/jupyter.mjs's recordPid; touches only processes whose
// command line still shows the marker they were recorded with.

import { existsSync, readFileSync, rmSync } from 'node:fs';

import { PIDFILE } from './paths.mjs';
import { endProcesses, pidsWithArg } from './tmux.mjs';

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function endGroup(pgid) {
  const signal = (sig) => {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  // A Jupyter server shuts its kernels down on SIGTERM; give it the time.
  for (let i = 0; i < 150 && cmdline(pgid); i++) await new Promise((r) => setTimeout(r, 100));
  signal('SIGKILL');
}

if (existsSync(PIDFILE)) {
  const records = readFileSync(PIDFILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  // Programs in terminals and their kernels first, then the servers, then their files.
  const order = { pid: 0, arg: 1, group: 2, dir: 3 };
  records.sort((a, b) => order[a.kind] - order[b.kind]);
  for (const { kind, pid, marker } of records) {
    if (kind === 'dir') {
      rmSync(marker, { recursive: true, force: true });
    } else if (kind === 'arg') {
      const pids = pidsWithArg(marker);
      if (pids.length) {
        console.log(`cleanup: ending ${pids.join(' ')} (started with ${marker})`);
        await endProcesses(pids);
      }
    } else if (cmdline(pid).includes(marker)) {
      console.log(`cleanup: ending ${kind} ${pid}`);
      if (kind === 'group') await endGroup(pid);
      else await endProcesses([pid]);
    }
  }
  rmSync(PIDFILE, { force: true });
}
