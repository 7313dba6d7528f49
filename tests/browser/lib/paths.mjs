// Where things are: the repository, the artifacts folder (screenshots, logs).

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(HERE, '..', '..');
export const ARTIFACTS = process.env.GOAWAIT_ARTIFACTS || join(HERE, 'artifacts');
export const PIDFILE = join(ARTIFACTS, 'pids');

mkdirSync(ARTIFACTS, { recursive: true });
