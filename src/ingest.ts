// Ingest: the inbox's raw files become rows of the uncommitted store, redacted, each exactly once.
// Every reader and finalize ingests first, so `log` shows a row the moment it was recorded. It is
// safe against a kill -9 at any point: rows carry their ids (a file read twice adds nothing), the
// store's transaction is atomic, and files are deleted (or their read part blanked) only after it.
import { closeSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { type AgentPayloadFile, rowsOfAgentPayloads } from './agents/inbox-rows.js';
import type { RowPlace } from './agents/rows.js';
import { type CommitFacts, commitRow, type MergedFacts, mergeRow, rewriteRow } from './commit-rows.js';
import { execGit } from './git/exec.js';
import { parseRewrites } from './git/parse.js';
import { stableUid } from './ids.js';
import { classifyInboxFile, type GitRecord, type InboxLine, parseGitRecord, parseInboxLines } from './inbox.js';
import { type LedgerEntry, ledgerEntryAt, recordLedger } from './ledger.js';
import type { EventRow, NewAction } from './rows.js';
import { resolveSessionId } from './session.js';
import { inboxDir, stateDir } from './state.js';
import type { InboxProgress, StoredAction, UncommittedStore } from './store/uncommitted.js';
import type { Workspace } from './workspace.js';

/** What one pass over the inbox found. */
export interface InboxBatch {
  actions: StoredAction[];
  events: EventRow[];
  /** Files read to their end that may go once the batch is stored. */
  finished: string[];
  /** p- files whose writer is alive: how far they were read (their read part is blanked, not deleted). */
  live: Array<{ file: string; progress: InboxProgress }>;
  /** What merges git finished by itself brought into a branch's log (for the ledger, in order). */
  ledger: Array<{ branch: string; entry: Omit<LedgerEntry, 'at'> }>;
}

/** Temp files of writers that died mid-write are removed after this long. */
const STALE_TMP_MS = 60 * 60 * 1000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function fromLine(l: InboxLine): { action?: StoredAction; event?: EventRow } {
  if (l.t === 'a')
    return { action: { uid: l.uid, ts: l.ts, session_id: l.session_id, action: l.action, statement: l.statement, metadata: l.metadata } };
  return { event: { uid: l.uid, ts: l.ts, session_id: l.session_id, event: l.event, summary: l.summary } };
}

/** 0.1.0 kept hook rows in <state>/pending.jsonl (and pending.*.claimed while folding): rows with uid and ts. */
function legacyPending(dir: string, names: string[]): { rows: StoredAction[]; files: string[] } {
  const files = names.filter((f) => f === 'pending.jsonl' || /^pending\..+\.claimed$/.test(f)).map((f) => path.join(dir, f));
  const rows: StoredAction[] = [];
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      try {
        const r = JSON.parse(line) as NewAction;
        if (typeof r.uid === 'string' && typeof r.ts === 'string') {
          rows.push({
            uid: r.uid,
            ts: r.ts,
            session_id: r.session_id ?? null,
            action: r.action ?? null,
            statement: r.statement ?? null,
            metadata: r.metadata ?? null,
          });
        }
      } catch {
        // a torn last line of a crash: never acknowledged
      }
    }
  }
  return { rows, files };
}

/** What a post-merge brought in, from the reflog action ("merge feature", "pull origin main") and ORIG_HEAD. */
async function mergedFacts(ws: Workspace, rec: GitRecord, head: CommitFacts): Promise<MergedFacts> {
  const squash = rec.args[0] === '1';
  // "merge feature", "pull --ff-only origin main": the words after the command that are not options.
  const merged =
    (rec.action ?? '')
      .replace(/^(merge|pull)\s*/, '')
      .split(/\s+/)
      .filter((w) => w && !w.startsWith('-'))
      .join(' ') || null;
  let range: string | null = null;
  if (squash && merged) {
    // A squash merge leaves HEAD alone: the commits are those of the named branch HEAD lacks.
    const r = await execGit(ws.git, ['rev-parse', '--verify', '-q', `${merged.split(/\s+/).pop()}^{commit}`], { allowFailure: true });
    const tip = r.stdout.toString('utf8').trim();
    if (tip) range = `${head.sha}..${tip}`;
  } else if (rec.orig && rec.orig !== head.sha) {
    range = `${rec.orig}..${head.sha}`;
  }
  return { merged, range, squash, fastForward: !squash && head.parents.length < 2 && range !== null };
}

async function rowsOfGitRecords(ws: Workspace, recs: Array<{ rec: GitRecord; file: string; mtimeMs: number }>): Promise<StoredAction[]> {
  const out: StoredAction[] = [];
  for (const { rec, file, mtimeMs } of recs) {
    const session = resolveSessionId(ws, rec.session, () => null);
    const head: CommitFacts = rec.head ?? { sha: '', parents: [], subject: '' };
    let row: NewAction | null = null;
    if (rec.hook === 'post-commit') {
      // The pre-commit that ran for this very commit staged this blob; any other was an attempt.
      const precommit = rec.precommit && rec.logBlob === rec.precommit.blob ? rec.precommit.uid : null;
      row = commitRow(session, head, rec.action, precommit, rec.ops);
    } else if (rec.hook === 'post-applypatch') {
      // git am commits run no pre-commit and no post-commit: this is their git.commit row.
      row = commitRow(session, head, rec.action, null, rec.ops);
    } else if (rec.hook === 'post-merge') row = mergeRow(session, head, await mergedFacts(ws, rec, head), rec.action);
    else if (rec.hook === 'post-rewrite') {
      const mappings = parseRewrites(rec.stdin);
      if (mappings.length > 0) row = rewriteRow(session, rec.args[0] ?? 'unknown', mappings);
    }
    if (!row) continue;
    out.push({ ...row, uid: stableUid(mtimeMs, `git:${path.basename(file)}`), ts: new Date(mtimeMs).toISOString() });
  }
  return out;
}

/** The logs merges brought into their branch (post-merge records, oldest first). */
async function mergedLogs(ws: Workspace, recs: Array<{ rec: GitRecord; mtimeMs: number }>): Promise<InboxBatch['ledger']> {
  if (!ws.repo) return [];
  const out: InboxBatch['ledger'] = [];
  for (const { rec } of [...recs].sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (rec.hook !== 'post-merge' || !rec.branch || !rec.head?.sha) continue;
    const entry = await ledgerEntryAt(ws, rec.head.sha);
    if (entry) out.push({ branch: rec.branch, entry });
  }
  return out;
}

/** Where agent rows' paths are relative to: the repository's top level (the workspace outside one). */
export function rowContext(ws: Workspace): RowPlace {
  const top = ws.repo?.topLevel ?? ws.settings.workspace;
  let topReal: string | undefined;
  try {
    topReal = realpathSync(top);
  } catch {
    // gone: paths stay absolute
  }
  return { top, topReal: topReal !== top ? topReal : undefined };
}

/**
 * Reads every complete file of the inbox (p-/d- files from where ingest stopped), without
 * changing anything. With `progress` empty, everything is read (TEST_MODE readers).
 */
export async function readInbox(ws: Workspace, progress: Map<string, InboxProgress>): Promise<InboxBatch> {
  const dir = inboxDir(ws);
  const batch: InboxBatch = { actions: [], events: [], finished: [], live: [], ledger: [] };
  const gitRecs: Array<{ rec: GitRecord; file: string; mtimeMs: number }> = [];
  const agentFiles: AgentPayloadFile[] = [];
  const now = Date.now();
  for (const name of listDir(dir)) {
    const file = path.join(dir, name);
    const kind = classifyInboxFile(name);
    if (!kind) {
      if (name.endsWith('.tmp')) {
        try {
          if (now - statSync(file).mtimeMs > STALE_TMP_MS) batch.finished.push(file);
        } catch {
          // gone meanwhile
        }
      }
      continue;
    }
    let buf: Buffer;
    let mtimeMs: number;
    try {
      buf = readFileSync(file);
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      continue; // another ingest took it meanwhile
    }
    if (kind.kind === 'process') {
      const from = progress.get(name)?.consumed ?? 0;
      const { lines, consumed } = parseInboxLines(buf, Math.min(from, buf.length));
      for (const l of lines) {
        const { action, event } = fromLine(l);
        if (action) batch.actions.push(action);
        if (event) batch.events.push(event);
      }
      // A writer that closed its file, or died (a torn last line of a kill -9 was never acknowledged).
      if (kind.done || !alive(kind.pid)) batch.finished.push(file);
      else batch.live.push({ file, progress: { consumed, blanked: progress.get(name)?.blanked ?? 0 } });
    } else if (kind.kind === 'git') {
      const rec = parseGitRecord(buf);
      if (rec) gitRecs.push({ rec, file, mtimeMs });
      batch.finished.push(file);
    } else {
      agentFiles.push({ name, agent: kind.agent, buf, mtimeMs });
    }
  }
  batch.actions.push(...(await rowsOfGitRecords(ws, gitRecs)));
  batch.ledger = await mergedLogs(ws, gitRecs);
  if (agentFiles.length > 0) {
    // Texts are redacted before they are cut or hashed (rows.ts): with our own rules first, and when
    // secretlint's preset could find something they did not, again with it (it loads then, once).
    const { fullRedactor, ownRedactor } = await import('./redact/redact.js');
    const config = ws.settings.config.redaction;
    const own = ownRedactor(config);
    const deferred = own.detector.deferredHits;
    let agents = rowsOfAgentPayloads(agentFiles, { ...rowContext(ws), redact: own }, now);
    if (own.detector.deferredHits !== deferred)
      agents = rowsOfAgentPayloads(agentFiles, { ...rowContext(ws), redact: await fullRedactor(config) }, now);
    batch.actions.push(...agents.actions);
    batch.events.push(...agents.events);
    const waiting = new Set(agents.waiting);
    for (const f of agentFiles) if (!waiting.has(f.name)) batch.finished.push(path.join(dir, f.name));
  }
  const legacy = legacyPending(stateDir(ws), listDir(stateDir(ws)));
  batch.actions.push(...legacy.rows);
  batch.finished.push(...legacy.files);
  const redacted = await redactRows(ws, batch.actions, batch.events);
  batch.actions = redacted.actions;
  batch.events = redacted.events;
  return batch;
}

/**
 * Rows with their secrets replaced (src/redact/): the one step between a raw row and any store. The
 * rule table and secretlint's preset load here, the first time a process has rows to redact.
 */
export async function redactRows(
  ws: Workspace,
  actions: StoredAction[],
  events: EventRow[],
): Promise<{ actions: StoredAction[]; events: EventRow[] }> {
  if (actions.length === 0 && events.length === 0) return { actions, events };
  const { redactBatch } = await import('./redact/redact.js');
  return redactBatch(ws.settings.config.redaction, actions, events);
}

/** Overwrites bytes [from, to) of a file with newlines (blank lines, skipped by the parser). */
function blank(file: string, from: number, to: number): void {
  if (to <= from) return;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(to - from, 0x0a), 0, to - from, from);
  } finally {
    closeSync(fd);
  }
}

/** Moves everything in the inbox into the uncommitted store; returns how many rows were new. */
export async function ingestInbox(ws: Workspace, store: UncommittedStore): Promise<number> {
  const batch = await readInbox(ws, store.progress());
  const present = new Set(listDir(inboxDir(ws)));
  const added = store.transaction(() => {
    const n = store.insert(batch.actions, batch.events);
    for (const { file, progress } of batch.live) store.setProgress(path.basename(file), progress);
    for (const file of batch.finished) store.setProgress(path.basename(file), null);
    // A writer renames its file d-… when it closes: the p-… name's progress is done with.
    for (const name of store.progress().keys()) if (!present.has(name)) store.setProgress(name, null);
    return n;
  });
  // Before the records that say so go: the ledger learns what merges brought in.
  for (const u of batch.ledger) recordLedger(ws, u.branch, u.entry);
  // The raw text of stored rows does not stay behind: finished files go, live ones are blanked.
  for (const file of batch.finished) rmSync(file, { force: true });
  for (const { file, progress } of batch.live) {
    try {
      blank(file, progress.blanked, progress.consumed);
      store.setProgress(path.basename(file), { consumed: progress.consumed, blanked: progress.consumed });
    } catch {
      // its writer closed and renamed it meanwhile: the next ingest reads and removes it
    }
  }
  return added;
}
