// Undoing a blocked pre-commit: copies of the files only git and the hook write (the index, the
// session copy, .gitattributes), taken before the hook writes, put back byte for byte.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Saved copies of files, restored in reverse order. The log itself is never restored by file:
 * other agents may have written to it meanwhile (the hook deletes its own rows instead).
 */
export class Rollback {
  private readonly saved: Array<[string, string | null]> = [];
  constructor(private readonly dir: string) {}

  /** Keeps a copy of `file` (or notes that it does not exist, so restore removes it). */
  save(file: string): void {
    mkdirSync(this.dir, { recursive: true });
    if (!existsSync(file)) {
      this.saved.push([file, null]);
      return;
    }
    const copy = path.join(this.dir, `${this.saved.length}-${path.basename(file)}`);
    copyFileSync(file, copy);
    this.saved.push([file, copy]);
  }

  /** Puts every saved file back as it was. */
  restore(): void {
    for (const [file, copy] of this.saved.reverse()) {
      if (copy) renameSync(copy, file);
      else rmSync(file, { force: true });
    }
    this.discard();
  }

  /** Drops the copies (the hook succeeded). */
  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
