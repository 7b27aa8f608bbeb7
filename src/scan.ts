// `scan`: looks for secrets in the committed log, the rows an older version stored before it
// redacted (or before a rule existed), or rows written into a log file by something else. It runs
// the very redaction ingest runs on each row of the tracked log, its session copy and every sealed
// segment (with `history`, also of every version of them git has, read from the local LFS store)
// and reports where something would be redacted: the rule, the table, the row's uid, the column,
// the file and the commit. Never the secret itself.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RefusedFileError } from './errors.js';
import { configGet } from './git/config.js';
import { type FileVersion, fileVersions, headVersions, readBlobs } from './git/history.js';
import { lfsObjectPath, lfsStorageDir } from './git/lfs-objects.js';
import { parsePointer } from './git/pointer.js';
import { TRUNCATED } from './redact/detector.js';
import { type Counts, fullRedactor } from './redact/redact.js';
import { visitLogRows } from './store/log-rows.js';
import { listSegments } from './store/view.js';
import type { Workspace } from './workspace.js';

/** Where a secret is: never what it is. */
export interface ScanFinding {
  /** The log file, relative to the repository root. */
  path: string;
  /** The commits that put this version of the file there (history only; null for the work tree). */
  commits: string[] | null;
  table: 'codex_actions' | 'codex_log';
  uid: string;
  column: string;
  /** Matches per rule. */
  rules: Counts;
}

/** A file (or version) that could not be read. */
export interface ScanSkip {
  path: string;
  commit: string | null;
  reason: string;
}

/** What a scan found. */
export interface ScanReport {
  findings: ScanFinding[];
  /** Log files (and older versions of them) checked. */
  files: number;
  /** Rows checked, summed over those files. */
  rows: number;
  skipped: ScanSkip[];
  /** Historic versions whose LFS object is not in this clone (not read). */
  notLocal: number;
}

/** Reasons a file is skipped (shown in the JSON report and counted in the summary). */
export const SKIP = {
  notLocal: 'its Git LFS object is not in this clone',
  notALog: (detail: string) => `not a log database (${detail})`,
} as const;

/** A finding in one file, before it is placed (path, commits). */
type RowFinding = Omit<ScanFinding, 'path' | 'commits'>;

/** What one file's rows hold. */
interface FileFindings {
  findings: RowFinding[];
  rows: number;
}

interface Source {
  path: string;
  commits: string[] | null;
}

/** Scans the committed log of `ws` (see the top of this file). */
export async function scanLog(ws: Workspace, options: { history: boolean }): Promise<ScanReport> {
  const { settings, repo } = ws;
  const redactor = await fullRedactor(settings.config.redaction);
  const report: ScanReport = { findings: [], files: 0, rows: 0, skipped: [], notLocal: 0 };
  const storage = repo ? lfsStorageDir(repo.commonDir, await configGet(ws.git, 'lfs.storage')) : null;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'codexlog-scan-'));
  // What a file's rows hold, by content (the log and its session copy are one object; a version
  // may be listed under several commits): each content is read once.
  const byContent = new Map<string, FileFindings | string>();
  const emit = (found: FileFindings | string, src: Source): void => {
    if (typeof found === 'string') {
      report.skipped.push({ path: src.path, commit: src.commits?.[0] ?? null, reason: found });
      return;
    }
    report.files += 1;
    report.rows += found.rows;
    for (const f of found.findings) report.findings.push({ path: src.path, commits: src.commits, ...f });
  };
  const readFile = (file: string): FileFindings | string => {
    const found: RowFinding[] = [];
    let rows = 0;
    try {
      rows = visitLogRows(file, ({ table, row }) => {
        const { columns } = table === 'codex_actions' ? redactor.actionDetailed(row) : redactor.eventDetailed(row);
        for (const [column, counts] of Object.entries(columns)) {
          const rules = secretsOnly(counts);
          if (Object.keys(rules).length) found.push({ table, uid: row.uid, column, rules });
        }
      });
    } catch (e) {
      if (!(e instanceof RefusedFileError)) throw e;
      return SKIP.notALog(e.reason);
    }
    return { findings: found, rows };
  };
  let n = 0;
  // A file's content: an LFS pointer (its object is read from a copy: SQLite must never touch an
  // object) or a database (read from a temp file).
  const scanContent = (content: Buffer, src: Source): void => {
    const pointer = parsePointer(content);
    const key = pointer ? `lfs:${pointer.oid}` : `raw:${createHash('sha256').update(content).digest('hex')}`;
    let found = byContent.get(key);
    if (found === undefined) {
      const object = pointer && storage ? lfsObjectPath(storage, pointer.oid) : null;
      if (pointer && (!object || !existsSync(object))) {
        if (src.commits) report.notLocal += 1;
        emit(SKIP.notLocal, src);
        return;
      }
      const copy = path.join(tmp, `${n++}.db`);
      try {
        if (object) copyFileSync(object, copy);
        else writeFileSync(copy, content);
        found = readFile(copy);
      } finally {
        rmSync(copy, { force: true });
      }
      byContent.set(key, found);
    }
    emit(found, src);
  };
  // A work tree file is read from a copy too: a log left in WAL mode would grow -wal and -shm files
  // next to it, in the work tree.
  const scanWorkTreeFile = (abs: string, rel: string): void => scanContent(readFileSync(abs), { path: rel, commits: null });
  try {
    // The log as checked out: the work tree's files; a tracked path the work tree lacks (a sparse
    // checkout) is read from HEAD.
    const present = new Set<string>();
    for (const rel of [settings.logDbRel, settings.sessionDbRel]) {
      const abs = path.join(settings.workspace, rel);
      if (!existsSync(abs)) continue;
      present.add(rel);
      scanWorkTreeFile(abs, rel);
    }
    for (const name of listSegments(settings.segmentsDir)) {
      const rel = `${settings.segmentsDirRel}/${name}`;
      present.add(rel);
      scanWorkTreeFile(path.join(settings.segmentsDir, name), rel);
    }
    const paths = [settings.logDbRel, settings.sessionDbRel, settings.segmentsDirRel];
    if (repo) {
      const missing = (await headVersions(ws.git, paths)).filter((v) => !present.has(v.path) && isLogPath(v.path, settings));
      await scanVersions(ws, missing, (content, v) => scanContent(content, { path: v.path, commits: null }));
    }
    if (options.history && repo) {
      // One version (a blob at a path) may be listed under several commits (a merge, against each
      // parent); git log lists newest first, so the last one listed introduced it.
      const byVersion = new Map<string, { v: FileVersion; commits: string[] }>();
      for (const v of await fileVersions(ws.git, paths)) {
        if (!isLogPath(v.path, settings)) continue;
        const key = `${v.blob}\0${v.path}`;
        const seen = byVersion.get(key);
        if (seen) seen.commits.unshift(v.commit);
        else byVersion.set(key, { v, commits: [v.commit] });
      }
      const versions = [...byVersion.values()];
      await scanVersions(
        ws,
        versions.map((x) => x.v),
        (content, v) => scanContent(content, { path: v.path, commits: byVersion.get(`${v.blob}\0${v.path}`)?.commits ?? [v.commit] }),
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return report;
}

/** The counts that are secrets (a cut string is not one). */
function secretsOnly(counts: Counts): Counts {
  const out: Counts = {};
  for (const [rule, n] of Object.entries(counts)) if (rule !== TRUNCATED) out[rule] = n;
  return out;
}

function isLogPath(rel: string, settings: Workspace['settings']): boolean {
  if (rel === settings.logDbRel || rel === settings.sessionDbRel) return true;
  const prefix = `${settings.segmentsDirRel}/`;
  return rel.startsWith(prefix) && !rel.slice(prefix.length).includes('/') && rel.endsWith('.db');
}

/** Reads the blobs of `versions` (each once) and hands each version its content. */
async function scanVersions(ws: Workspace, versions: FileVersion[], scan: (content: Buffer, v: FileVersion) => void): Promise<void> {
  const blobs = await readBlobs(ws.git, [...new Set(versions.map((v) => v.blob))]);
  for (const v of versions) {
    const content = blobs.get(v.blob);
    if (content) scan(content, v);
  }
}
