// Undoing a blocked pre-commit: copies of the files only git and the hook write (the index, the
// tracked databases, .gitattributes; the segment it sealed is removed), taken before the hook
// writes, put back byte for byte.
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Saved copies of files, restored in reverse order. The tracked log is saved too: other agents
 * never write it (their rows wait in the git dir), only finalize does, under its lock.
 */
export class Rollback {
  private readonly saved: Array<[string, string | null]> = [];
  constructor(readonly dir: string) {}

  /** Keeps a copy of `file` (or notes that it does not exist, so restore removes it). */
  save(file: string): void {
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(file)) {
      this.saved.push([file, null]);
      return;
    }
    const copy = path.join(this.dir, `${this.saved.length}-${path.basename(file)}`);
    rmSync(copy, { force: true }); // a killed hook's hard link must not be written through
    copyFileSync(file, copy);
    this.saved.push([file, copy]);
  }

  /**
   * Keeps `file` as it is now, for a file that is only ever replaced by rename, never written in
   * place (the tracked databases): a hard link to it is the copy (a real copy where links fail).
   */
  keep(file: string): void {
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(file)) {
      this.saved.push([file, null]);
      return;
    }
    const copy = path.join(this.dir, `${this.saved.length}-${path.basename(file)}`);
    rmSync(copy, { force: true });
    try {
      linkSync(file, copy);
    } catch {
      copyFileSync(file, copy);
    }
    this.saved.push([file, copy]);
  }

  /** Notes a file this run created, which restore removes. */
  created(file: string): void {
    this.saved.push([file, null]);
  }

  /** Puts every saved file back as it was. */
  restore(): void {
    for (const [file, copy] of this.saved.reverse()) {
      if (copy) putBack(copy, file);
      else rmSync(file, { force: true });
    }
    this.discard();
  }

  /** Drops the copies (the hook succeeded). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Moves `copy` over `file`; across filesystems (the git dir elsewhere), through a copy beside `file`. */
function putBack(copy: string, file: string): void {
  try {
    renameSync(copy, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const tmp = `${file}.codexlog-restore.tmp`;
    copyFileSync(copy, tmp);
    renameSync(tmp, file);
    rmSync(copy, { force: true });
  }
}
