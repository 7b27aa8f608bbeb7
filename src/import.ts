// `import`: agent sessions from before the hooks were installed, read from the agents' own
// transcripts (Codex rollouts, Claude Code transcripts) and written as the rows the hooks would
// have written. The parsers (agents/*-transcript.ts) give the hooks' events with the hooks' ids;
// rows.ts maps them; the rows go through the inbox and ingest like every other row (so they are
// redacted the same way), each uid once: rows the log already holds, committed or not, are
// counted and not written again. Only sessions whose working folder is inside this repository
// (or one of its work trees) are imported, unless `anyCwd`: a folder of every project's sessions
// must not pour other projects' prompts into this repository's log.
//
// Files are read in chunks, line by line, and each event is mapped as soon as the parser hands it
// over, so a folder of any size is never in memory at once: what is held is one line, the calls
// of the session still waiting for their output, and a batch of rows.
import { realpathSync } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ingestNow, recordRows, withLog } from './actions.js';
import { ClaudeTranscriptParser } from './agents/claude-transcript.js';
import { CodexTranscriptParser } from './agents/codex-transcript.js';
import { type RowContext, type RowPlace, rowOfAgentEvent } from './agents/rows.js';
import { sessionIdOfFileName, type TranscriptParser } from './agents/transcript.js';
import type { AgentEvent, AgentName } from './agents/types.js';
import { CodexlogError } from './errors.js';
import { worktreeTops } from './git/repo.js';
import { rowContext } from './ingest.js';
import { messages } from './messages.js';
import type { EventRow } from './rows.js';
import type { StoredAction } from './store/uncommitted.js';
import type { LogView } from './store/view.js';
import type { Workspace } from './workspace.js';

/** What to import. */
export interface ImportOptions {
  agent: AgentName;
  /** A transcript file, or a folder searched recursively (absolute). */
  source: string;
  /** Import sessions of any folder, not only those of this repository. */
  anyCwd?: boolean;
  /** Progress lines, for folders of more than PROGRESS_MIN_FILES files, at most every PROGRESS_MS. */
  progress?: (line: string) => void;
}

/** What an import did (or, under TEST_MODE, would do). */
export interface ImportReport {
  agent: AgentName;
  source: string;
  /** Transcript files read to their end. */
  files: number;
  /** Sessions rows came from. */
  sessions: number;
  /** Rows read from them. */
  rows: number;
  /** Rows new to the log (written, or under TEST_MODE that would be). */
  added: number;
  /** Rows the log already held (committed or not), or read twice in this import. */
  alreadyLogged: number;
  /** Sessions of folders outside this repository (not imported), and those folders. */
  skipped: { sessions: number; folders: string[]; withoutFolder: number };
  /** Lines that were not JSON. */
  unreadableLines: number;
  /** Files (or folders) that could not be read. */
  failed: Array<{ file: string; error: string }>;
  /** Whether anything was written (false under TEST_MODE). */
  written: boolean;
}

/** Which files of a folder are transcripts of each agent. */
const TRANSCRIPT_NAME: Record<AgentName, RegExp> = {
  codex: /^rollout-.*\.jsonl$/,
  claude: /\.jsonl$/,
};

const PROGRESS_MIN_FILES = 20;
const PROGRESS_MS = 500;
/** Rows checked against the log and written together. */
const BATCH_ROWS = 1000;
/** Rows written between two ingests (what the inbox may hold before it is moved into the store). */
const INGEST_ROWS = 20_000;
const CHUNK = 1024 * 1024;

/** An error as a reader wants it (node's file errors already start with their code: "EACCES: permission denied, open …"). */
const errorText = (e: unknown): string => String((e as Error)?.message ?? e);

/** The transcript files under `source` (or `source` itself), sorted; folders that cannot be read are reported. */
export async function listTranscripts(
  agent: AgentName,
  source: string,
): Promise<{ files: string[]; failed: Array<{ file: string; error: string }> }> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(source);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CodexlogError(messages.importSourceMissing(source, agent));
    throw new CodexlogError(messages.importSourceUnreadable(source, errorText(e)), { cause: e });
  }
  if (st.isFile()) return { files: [source], failed: [] };
  if (!st.isDirectory()) throw new CodexlogError(messages.importSourceUnreadable(source, 'not a file or a folder'));
  const files: string[] = [];
  const failed: Array<{ file: string; error: string }> = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      failed.push({ file: dir, error: errorText(e) });
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (TRANSCRIPT_NAME[agent].test(e.name)) {
        // A link to a file counts; links to folders are not followed (no loops).
        if (e.isFile() || (e.isSymbolicLink() && (await stat(p).catch(() => null))?.isFile())) files.push(p);
      }
    }
  };
  await walk(source);
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, failed };
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

const inside = (root: string, p: string): boolean => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * The folders whose sessions are this repository's: the workspace, the top level and every work
 * tree of the repository. Returns, for a session's cwd, the folder holding it (paths of its rows
 * are relative to that work tree's top), or null.
 */
async function repositoryFolders(ws: Workspace): Promise<(cwd: string) => RowPlace | null> {
  const own = rowContext(ws);
  const tops = new Set<string>([ws.settings.workspace, own.top]);
  if (ws.repo) for (const t of await worktreeTops(ws.git)) tops.add(t);
  // Deepest first: a work tree nested in another folder of the list is the one a session ran in.
  const roots = [...tops].map((top) => ({ top, topReal: real(top) })).sort((a, b) => b.top.length - a.top.length);
  return (cwd) => {
    if (!path.isAbsolute(cwd)) return null; // not a folder of this machine's: never "inside"
    const cwdReal = real(cwd);
    for (const r of roots) {
      if (inside(r.top, cwd) || inside(r.topReal, cwdReal) || inside(r.topReal, cwd)) {
        return r.top === own.top ? own : { top: r.top, topReal: r.topReal !== r.top ? r.topReal : undefined };
      }
    }
    return null;
  };
}

/**
 * Calls `onLine` with each line of `file` (without its newline; the last one even without one),
 * read in chunks. `onLine` returns false to stop reading.
 */
export async function forEachLine(file: string, onLine: (line: string) => boolean | undefined): Promise<void> {
  let fh: FileHandle | null = null;
  try {
    fh = await open(file, 'r');
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer[] = [];
    const emit = (piece: Buffer): boolean => {
      let line = carry.length ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      return onLine(line.toString('utf8')) !== false;
    };
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        if (!emit(chunk.subarray(start, nl))) return;
        start = nl + 1;
      }
      // The buffer is reused: the rest of a line is copied until its newline comes.
      if (start < bytesRead) carry.push(Buffer.from(chunk.subarray(start)));
    }
    if (carry.length) emit(Buffer.alloc(0));
  } finally {
    await fh?.close();
  }
}

function newParser(agent: AgentName, file: string): TranscriptParser {
  const fallbackSessionId = sessionIdOfFileName(path.basename(file));
  return agent === 'codex' ? new CodexTranscriptParser({ fallbackSessionId }) : new ClaudeTranscriptParser({ fallbackSessionId });
}

/** The rows waiting to be checked against the log and written. */
class RowWriter {
  private actions: StoredAction[] = [];
  private events: EventRow[] = [];
  private readonly seen = new Set<string>();
  added = 0;
  alreadyLogged = 0;
  rows = 0;
  sinceIngest = 0;

  constructor(
    private readonly ws: Workspace,
    private readonly view: LogView,
  ) {}

  add(row: { action: StoredAction } | { event: EventRow }): void {
    this.rows += 1;
    const uid = 'action' in row ? row.action.uid : row.event.uid;
    if (this.seen.has(uid)) {
      this.alreadyLogged += 1; // the same session twice in this import (a copy, a file given twice)
      return;
    }
    this.seen.add(uid);
    if ('action' in row) this.actions.push(row.action);
    else this.events.push(row.event);
    if (this.actions.length + this.events.length >= BATCH_ROWS) this.flush();
  }

  /** Writes the batch's rows the log does not hold yet. */
  flush(): void {
    const uids = [...this.actions.map((r) => r.uid), ...this.events.map((r) => r.uid)];
    if (uids.length === 0) return;
    const present = this.view.present(uids);
    const actions = this.actions.filter((r) => !present.has(r.uid));
    const events = this.events.filter((r) => !present.has(r.uid));
    recordRows(this.ws, actions, events);
    this.added += actions.length + events.length;
    this.sinceIngest += actions.length + events.length;
    this.alreadyLogged += present.size;
    this.actions = [];
    this.events = [];
  }
}

/**
 * Imports the sessions of `options.source`. A file that cannot be read is reported in the result
 * and the import goes on; a missing source throws. Under TEST_MODE it reads and reports, writing nothing.
 */
export async function importSessions(ws: Workspace, options: ImportOptions): Promise<ImportReport> {
  const { agent, source } = options;
  const testMode = ws.settings.env.testMode;
  const { files, failed } = await listTranscripts(agent, source);
  const folderOf = await repositoryFolders(ws);
  // Texts are redacted before rows.ts cuts or hashes them, as ingest does for the hooks' rows (the
  // hash of an output is of its redacted text): with every layer, loaded once for the whole import.
  const { fullRedactor } = await import('./redact/redact.js');
  const redact = await fullRedactor(ws.settings.config.redaction);
  const report: ImportReport = {
    agent,
    source,
    files: 0,
    sessions: 0,
    rows: 0,
    added: 0,
    alreadyLogged: 0,
    skipped: { sessions: 0, folders: [], withoutFolder: 0 },
    unreadableLines: 0,
    failed,
    written: !testMode,
  };
  const sessions = new Set<string>();
  const skippedSessions = new Set<string>();
  const skippedFolders = new Set<string>();
  const showProgress = options.progress && files.length > PROGRESS_MIN_FILES ? options.progress : null;
  let lastProgress = Date.now();

  await withLog(ws, async (view) => {
    const writer = new RowWriter(ws, view);
    const progress = (done: number, force = false) => {
      if (!showProgress) return;
      const now = Date.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      showProgress(messages.importProgress(done, files.length, writer.rows));
    };
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const parser = newParser(agent, file);
      let ctx: RowContext | null | undefined; // undefined: not decided yet; null: skipped
      const waiting: AgentEvent[] = [];
      let lines = 0;
      const decide = () => {
        const cwd = parser.cwd;
        const where = cwd ? folderOf(cwd) : null;
        if (where || options.anyCwd) {
          ctx = { ...(where ?? rowContext(ws)), redact };
          return;
        }
        ctx = null;
        // A file that names no session (not a transcript at all) is no session skipped.
        const id = parser.sessionId;
        if (id && !skippedSessions.has(id)) {
          skippedSessions.add(id);
          if (cwd) skippedFolders.add(cwd);
          else report.skipped.withoutFolder += 1;
        }
      };
      const take = (events: AgentEvent[]) => {
        if (ctx === undefined) {
          waiting.push(...events);
          return;
        }
        if (ctx === null) return;
        for (const ev of waiting.length ? [...waiting.splice(0), ...events] : events) {
          sessions.add(ev.sessionId);
          writer.add(rowOfAgentEvent(ev, ctx));
        }
      };
      try {
        await forEachLine(file, (line) => {
          const events = parser.push(line);
          if (ctx === undefined && parser.cwd !== null) decide();
          if (ctx === null) return false; // another folder's session: no need to read on
          take(events);
          if (++lines % 1024 === 0) progress(i);
          return true;
        });
        const rest = parser.finish();
        if (ctx === undefined) decide();
        take(rest);
        report.files += 1;
      } catch (e) {
        failed.push({ file, error: errorText(e) });
      }
      report.unreadableLines += parser.unreadable;
      if (writer.sinceIngest >= INGEST_ROWS) {
        writer.flush();
        await ingestNow(ws);
        writer.sinceIngest = 0;
      }
      progress(i + 1, i + 1 === files.length);
    }
    writer.flush();
    report.rows = writer.rows;
    report.added = writer.added;
    report.alreadyLogged = writer.alreadyLogged;
  });
  await ingestNow(ws);
  report.sessions = sessions.size;
  report.skipped.sessions = skippedSessions.size;
  report.skipped.folders = [...skippedFolders].sort();
  return report;
}
