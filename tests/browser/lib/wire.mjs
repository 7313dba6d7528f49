// The kernel messages a page exchanges with Jupyter Server over its kernel
// websockets, read off the wire (Playwright sees every frame) and checked
// against the messaging protocol: what the front end was really given.
//
// Jupyter Server 2 and JupyterLab 4 speak the
// v1.kernel.websocket.jupyter.org subprotocol: a binary frame is
//   uint64 n | n uint64 offsets | channel | header | parent_header | metadata | content | buffers...
// (little endian; offsets from the frame's start, the last one its end).
// The server forwards the kernel's own JSON bytes. Older JSON text frames
// ({channel, header, ...}) are read too.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ARTIFACTS } from './paths.mjs';

/** One frame as {channel, header, parent_header, metadata, content}, or null if not a kernel message. */
export function decodeFrame(payload) {
  if (typeof payload === 'string') {
    try {
      const m = JSON.parse(payload);
      return m && m.header ? m : null;
    } catch {
      return null;
    }
  }
  const buf = Buffer.from(payload);
  if (buf.length < 8) return null;
  const n = Number(buf.readBigUInt64LE(0));
  if (n < 6 || 8 + 8 * n > buf.length) return null;
  const offsets = [];
  for (let i = 0; i < n; i++) offsets.push(Number(buf.readBigUInt64LE(8 + 8 * i)));
  const part = (i) => buf.subarray(offsets[i], i + 1 < offsets.length ? offsets[i + 1] : buf.length);
  const json = (i) => JSON.parse(part(i).toString('utf8'));
  return {
    channel: part(0).toString('utf8'),
    header: json(1),
    parent_header: json(2),
    metadata: json(3),
    content: json(4),
    buffers: offsets.length - 6,
  };
}

/** Records every kernel message of page's kernel websockets, in order. */
export function recordKernelMessages(page) {
  const log = [];
  page.on('websocket', (ws) => {
    const m = /\/api\/kernels\/([^/]+)\/channels/.exec(ws.url());
    if (!m) return;
    const kernel = m[1];
    const add = (dir) => (frame) => {
      try {
        const msg = decodeFrame(frame.payload);
        if (msg) log.push({ dir, kernel, at: Date.now(), ...msg });
      } catch (err) {
        log.push({ dir, kernel, at: Date.now(), undecodable: String(err) });
      }
    };
    ws.on('framesent', add('sent'));
    ws.on('framereceived', add('received'));
  });
  return {
    log,
    save(name) {
      const path = join(ARTIFACTS, `${name}.jsonl`);
      writeFileSync(path, log.map((m) => `${JSON.stringify(m)}\n`).join(''));
      return path;
    },
  };
}

const HEADER_KEYS = ['msg_id', 'msg_type', 'session', 'username', 'date', 'version'];

// Content fields the protocol (5.3+) requires of what a kernel sends.
const REQUIRED = {
  status: ['execution_state'],
  stream: ['name', 'text'],
  execute_input: ['code', 'execution_count'],
  execute_result: ['execution_count', 'data', 'metadata'],
  display_data: ['data', 'metadata'],
  update_display_data: ['data', 'metadata', 'transient'],
  error: ['ename', 'evalue', 'traceback'],
  clear_output: ['wait'],
  execute_reply: ['status', 'execution_count'],
  kernel_info_reply: ['status', 'protocol_version', 'implementation', 'implementation_version', 'language_info', 'banner'],
  complete_reply: ['status', 'matches', 'cursor_start', 'cursor_end', 'metadata'],
  inspect_reply: ['status', 'found', 'data', 'metadata'],
  is_complete_reply: ['status'],
  history_reply: ['status', 'history'],
  comm_info_reply: ['status', 'comms'],
  interrupt_reply: ['status'],
  shutdown_reply: ['status', 'restart'],
};

/**
 * What is wrong with the messages the kernel sent (received by the page),
 * as a list of sentences; empty when everything follows the protocol:
 * headers complete with a 5.x version, required content fields present and
 * typed, every shell/control request the page sent that reached the kernel
 * answered once on its channel with <type>_reply, and its iopub output
 * bracketed by status busy ... idle with that request as parent.
 */
export function protocolProblems(log) {
  const problems = [];
  const say = (m, what) => problems.push(`${m.header?.msg_type ?? '?'} ${m.header?.msg_id ?? ''}: ${what}`);
  const received = log.filter((m) => m.dir === 'received');
  for (const m of log) if (m.undecodable) problems.push(`undecodable frame: ${m.undecodable}`);

  for (const m of received) {
    if (m.undecodable) continue;
    for (const k of HEADER_KEYS) if (!(k in m.header)) say(m, `header without ${k}`);
    if (typeof m.header.version !== 'string' || !/^5\.\d+$/.test(m.header.version)) {
      say(m, `header version ${JSON.stringify(m.header.version)}`);
    }
    if (Number.isNaN(Date.parse(m.header.date))) say(m, `header date ${JSON.stringify(m.header.date)}`);
    const type = m.header.msg_type;
    for (const k of REQUIRED[type] ?? []) if (!(k in m.content)) say(m, `content without ${k}`);
    if (type === 'stream' && typeof m.content.text !== 'string') say(m, 'stream text not a string');
    if (type === 'error' && !Array.isArray(m.content.traceback)) say(m, 'traceback not a list');
    if (['execute_result', 'display_data', 'update_display_data'].includes(type)) {
      const data = m.content.data ?? {};
      for (const [mime, v] of Object.entries(data)) {
        const textual = mime.startsWith('text/') || mime === 'image/svg+xml';
        if (textual && typeof v !== 'string') say(m, `${mime} not a string`);
        if (/^image\/(png|jpeg|gif|webp)$/.test(mime) && (typeof v !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(v))) {
          say(m, `${mime} not base64 text`);
        }
      }
    }
    if (type === 'complete_reply' && m.content.status === 'ok' && !Array.isArray(m.content.matches)) {
      say(m, 'matches not a list');
    }
  }

  // Requests and what answered them.
  const requests = log.filter((m) => m.dir === 'sent' && /_request$/.test(m.header?.msg_type ?? ''));
  const byParent = new Map();
  for (const m of received) {
    const id = m.parent_header?.msg_id;
    if (!id) continue;
    if (!byParent.has(id)) byParent.set(id, []);
    byParent.get(id).push(m);
  }
  for (const req of requests) {
    const type = req.header.msg_type;
    const answers = byParent.get(req.header.msg_id) ?? [];
    if (answers.length === 0) continue; // not (yet) handled: e.g. sent to a kernel that was restarting
    const want = type.replace(/_request$/, '_reply');
    const replies = answers.filter((m) => m.header.msg_type === want);
    if (replies.length !== 1) say(req, `${replies.length} ${want} messages`);
    for (const r of replies) if (r.channel !== req.channel) say(r, `reply on ${r.channel}, request on ${req.channel}`);
    const states = answers.filter((m) => m.header.msg_type === 'status').map((m) => m.content.execution_state);
    if (states[0] !== 'busy' || states[states.length - 1] !== 'idle') {
      say(req, `iopub status for it: ${states.join(' ') || 'none'} (want busy ... idle)`);
    }
  }
  return problems;
}
