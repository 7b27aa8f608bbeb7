// Where readers write files (export, report): never over one of the log's own files, nor over an
// existing file unless asked (--force), always through a temp file beside the target renamed into
// place, so a failure leaves no half file.
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isInside } from '../config.js';
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';
import { stateDir } from '../state.js';
import { SQLITE_SIDECARS } from '../store/seed-file.js';
import type { Workspace } from '../workspace.js';

/** Something output is written to, a piece at a time. */
export interface Sink {
  write(chunk: string): void | Promise<void>;
}

// A path with its folders' symbolic links resolved (the file itself need not exist).
function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return path.resolve(file);
    }
  }
}

/** Whether anything (a file, a folder, a link, even a dangling one) is at `file`. */
function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** How an output file may be written. */
export interface OutputOptions {
  /** Replace an existing file (and, for a database, its leftover SQLite files). */
  force?: boolean;
  /** The output is an SQLite database: leftover -wal, -shm or -journal files beside it count as existing. */
  database?: boolean;
}

/**
 * Throws when `file` is one of the log's own files (the log, its session copy, a segment, the state
 * in the git dir), a folder, or (without `force`) an existing file, or for a database, one with
 * leftover SQLite files beside it.
 */
export function checkOutputPath(ws: Workspace, file: string, options: OutputOptions = {}): void {
  const { logDb, sessionDb, segmentsDir } = ws.settings;
  const target = real(file);
  if ([logDb, sessionDb].map(real).includes(target) || isInside(target, real(segmentsDir)) || isInside(target, real(stateDir(ws)))) {
    throw new CodexlogError(messages.outputIsLogFile(file));
  }
  let isDir = false;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    // a new file
  }
  if (isDir) throw new CodexlogError(messages.outputIsFolder(file));
  if (options.force) return;
  if (present(file)) throw new CodexlogError(messages.outputExists(file));
  const leftover = options.database ? SQLITE_SIDECARS.map((s) => `${file}${s}`).find(present) : undefined;
  if (leftover) throw new CodexlogError(messages.outputLeftover(file, leftover));
}

/** The temp file beside `file` that becomes it. */
export function tempBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** A sink into a new file that replaces `file` at `finish` (and is removed at `abort`). */
export class FileSink implements Sink {
  private readonly fd: number;
  private readonly temp: string;

  constructor(readonly file: string) {
    this.temp = tempBeside(file);
    try {
      this.fd = openSync(this.temp, 'wx', 0o644);
    } catch (e) {
      throw new CodexlogError(messages.outputUnwritable(file, (e as Error).message), { cause: e });
    }
  }

  write(chunk: string): void {
    writeSync(this.fd, chunk);
  }

  /** Puts the complete file in place. */
  finish(): void {
    closeSync(this.fd);
    renameSync(this.temp, this.file);
  }

  /** Drops the unfinished file. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temp, { force: true });
  }
}

/** Runs `write` into a FileSink of `file`: the complete file put in place, or none at all if it throws. */
export async function writeFileWith<T>(file: string, write: (sink: FileSink) => Promise<T>): Promise<T> {
  const sink = new FileSink(file);
  try {
    const result = await write(sink);
    sink.finish();
    return result;
  } catch (e) {
    sink.abort();
    throw e;
  }
}

/** Collects small writes into pieces of about `size` characters for `sink`. */
export class Buffered {
  private parts: string[] = [];
  private length = 0;

  constructor(
    private readonly sink: Sink,
    private readonly size = 1 << 20,
  ) {}

  /** Adds text; resolves at once unless a full piece went to the sink. */
  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= this.size) await this.flush();
  }

  /** Writes what is collected. */
  async flush(): Promise<void> {
    if (this.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.length = 0;
    await this.sink.write(chunk);
  }
}
