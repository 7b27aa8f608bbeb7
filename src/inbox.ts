// The inbox: where rows wait, raw, between the moment they are recorded and the moment a reader
// or finalize ingests them into the uncommitted store (ingest.ts). Writing here is the cheapest
// durable thing there is (one write() per call, no fsync, no lock), so recording never waits on
// SQLite, a lock or another agent. Each file has exactly one writer:
//   p-<pid>-<ms>-<rand>.jsonl   lines appended by one Node process (API, CLI); renamed d-… when it closes
//   g-<…>.rec                   one git hook event, written by sh (bin/codexlog-hook.sh) via a temp file
//   a-<agent>-<pid>-<n>.json    one agent hook payload, as the agent sent it, written in place by
//                               bin/codexlog-agent-hook.sh (ingest leaves incomplete JSON for later)
// A row a writer's write() returned for survives a kill -9 of the writer (it is in the OS's page
// cache); a power loss may lose the last ones, as SQLite's WAL with synchronous=NORMAL would.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { type GitObject, parseCatFileObjects, parseCommitObject } from './git/parse.js';

/** An action row as the writers append it. */
export interface InboxAction {
  t: 'a';
  uid: string;
  ts: string;
  session_id: string | null;
  action: string | null;
  statement: string | null;
  metadata: string | null;
}

/** A session event (start / end) as the writers append it. */
export interface InboxEvent {
  t: 'e';
  uid: string;
  ts: string;
  session_id: string | null;
  event: string | null;
  summary: string | null;
}

/** One line of a p-/d- file. */
export type InboxLine = InboxAction | InboxEvent;

/** A writer rotates to a new file past this size, so that ingested files can be deleted soon. */
const ROTATE_BYTES = 1024 * 1024;

/** One process's append-only file in one inbox. */
class InboxWriter {
  private fd: number | null = null;
  private file = '';
  private size = 0;
  constructor(private readonly dir: string) {}

  append(lines: readonly InboxLine[]): void {
    if (lines.length === 0) return;
    const buf = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''), 'utf8');
    if (this.fd === null || this.size >= ROTATE_BYTES) this.open();
    // One write() per call: a batch lands whole or (kill -9 before the call) not at all.
    writeSync(this.fd as number, buf);
    this.size += buf.length;
  }

  private open(): void {
    this.close();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = `p-${process.pid}-${Date.now()}-${randomBytes(4).toString('hex')}.jsonl`;
    this.file = path.join(this.dir, name);
    // Owner-only: rows may hold secrets until ingest redacts them.
    this.fd = openSync(this.file, 'ax', 0o600);
    this.size = 0;
  }

  /** Closes the file and marks it done (d-…), so that ingest may delete it once read. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    try {
      renameSync(this.file, path.join(this.dir, `d-${path.basename(this.file).slice(2)}`));
    } catch {
      // ingest already read and removed it after this process was taken for dead: nothing to mark
    }
  }
}

const writers = new Map<string, InboxWriter>();

/** Appends lines to this process's file in `dir`. */
export function appendToInbox(dir: string, lines: readonly InboxLine[]): void {
  let w = writers.get(dir);
  if (!w) {
    w = new InboxWriter(dir);
    writers.set(dir, w);
  }
  w.append(lines);
}

/** Closes this process's inbox files (the API at exit, the CLI when a command ends). */
export function closeInboxWriters(): void {
  for (const w of writers.values()) w.close();
  writers.clear();
}

/** What an inbox file is, from its name (null: not ours, or still being written). */
export type InboxFile =
  | { kind: 'process'; pid: number; done: false }
  | { kind: 'process'; pid: number; done: true }
  | { kind: 'git' }
  | { kind: 'agent'; agent: string };

/** Classifies an inbox file name. */
export function classifyInboxFile(name: string): InboxFile | null {
  let m = /^([pd])-(\d+)-\d+-[0-9a-f]+\.jsonl$/.exec(name);
  if (m) return { kind: 'process', pid: Number(m[2]), done: m[1] === 'd' } as InboxFile;
  if (/^g-[\w.-]+\.rec$/.test(name)) return { kind: 'git' };
  m = /^a-([a-z0-9]+)-[\w.-]+\.json$/.exec(name);
  if (m) return { kind: 'agent', agent: m[1] };
  return null;
}

/**
 * Parses the complete lines of `buf` (a p-/d- file from `from` on). A line cut short (a writer
 * killed mid-write, or one still writing) is not consumed; unreadable complete lines are skipped.
 */
export function parseInboxLines(buf: Buffer, from = 0): { lines: InboxLine[]; consumed: number } {
  const end = buf.lastIndexOf(0x0a);
  if (end < from) return { lines: [], consumed: from };
  const lines: InboxLine[] = [];
  for (const text of buf.subarray(from, end).toString('utf8').split('\n')) {
    const t = text.trim();
    if (!t) continue;
    try {
      const v = JSON.parse(t) as InboxLine;
      if ((v.t === 'a' || v.t === 'e') && typeof v.uid === 'string' && typeof v.ts === 'string') lines.push(v);
    } catch {
      // not a line any writer of ours produced: skipped rather than blocking every commit
    }
  }
  return { lines, consumed: end + 1 };
}

/** A git hook event as bin/codexlog-hook.sh records it. */
export interface GitRecord {
  hook: string;
  /** GIT_REFLOG_ACTION at the time (e.g. "merge feature", "pull"). */
  action: string | null;
  /** The operations whose marker files were there (rebase, cherry-pick, revert, merge). */
  ops: string[];
  args: string[];
  /** SESSION_ID_SOURCE at the time, if set. */
  session: string | null;
  /**
   * What the last pre-commit left (post-commit only): the uid of its row and the log blob it
   * staged. It names this commit's pre-commit only if the commit holds that blob.
   */
  precommit: { uid: string; blob: string } | null;
  /** The commit the event is about (HEAD), its parents and subject, as git printed it. */
  head: { sha: string; parents: string[]; subject: string } | null;
  /** post-commit: the blob of the log in HEAD. post-merge: ORIG_HEAD (the commit before). */
  logBlob: string | null;
  orig: string | null;
  /** The hook's stdin (post-rewrite's old/new pairs). */
  stdin: string;
  /** The branch checked out when the hook ran (null: detached, or not recorded). */
  branch: string | null;
}

/**
 * Parses a g-… record: `hook=`, `action=`, `session=`, `precommit=`, `arg=` (one per argument) and
 * `name=` lines (the objects asked), then either `--stdin--` and the hook's stdin, or
 * `--objects--` and `git cat-file --batch` output for the names. Null when it is not one of ours.
 */
export function parseGitRecord(buf: Buffer): GitRecord | null {
  const rec: GitRecord = {
    hook: '',
    action: null,
    ops: [],
    args: [],
    session: null,
    precommit: null,
    head: null,
    logBlob: null,
    orig: null,
    stdin: '',
    branch: null,
  };
  const text = buf.toString('latin1');
  const markers = ['\n--stdin--\n', '\n--objects--\n'].map((m) => ({ m, at: text.indexOf(m) })).filter((x) => x.at >= 0);
  const cut = markers.length ? markers.sort((a, b) => a.at - b.at)[0] : null;
  const header = Buffer.from(cut ? text.slice(0, cut.at) : text, 'latin1').toString('utf8');
  const names: string[] = [];
  for (const line of header.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const [k, v] = [line.slice(0, eq), line.slice(eq + 1)];
    if (k === 'hook') rec.hook = v;
    else if (k === 'action') rec.action = v || null;
    else if (k === 'arg') rec.args.push(v);
    else if (k === 'ops') rec.ops = v.split(/\s+/).filter((o) => /^(rebase|cherry-pick|revert|merge|am)$/.test(o));
    else if (k === 'name') names.push(v);
    else if (k === 'session') rec.session = v.trim() || null;
    else if (k === 'branch') rec.branch = v.trim() || null;
    else if (k === 'precommit') {
      const m = /^([\w-]{1,80}) ([0-9a-f]{40,64})$/.exec(v.trim());
      rec.precommit = m ? { uid: m[1], blob: m[2] } : null;
    }
  }
  if (!/^(post-commit|post-rewrite|post-merge|post-applypatch)$/.test(rec.hook)) return null;
  if (cut?.m === '\n--stdin--\n') rec.stdin = Buffer.from(text.slice(cut.at + cut.m.length), 'latin1').toString('utf8');
  if (cut?.m === '\n--objects--\n') {
    let objects: Map<string, GitObject | null>;
    try {
      objects = parseCatFileObjects(Buffer.from(text.slice(cut.at + cut.m.length), 'latin1'), names);
    } catch {
      return rec; // cut short (a disk full?): the row keeps what the header says
    }
    const head = objects.get('HEAD');
    if (head?.type === 'commit') rec.head = { sha: head.oid, ...parseCommitObject(head.content) };
    for (const name of names.slice(1)) {
      const o = objects.get(name);
      if (name === 'ORIG_HEAD') rec.orig = o?.type === 'commit' ? o.oid : null;
      else rec.logBlob = o?.type === 'blob' ? o.oid : null;
    }
  }
  return rec;
}
