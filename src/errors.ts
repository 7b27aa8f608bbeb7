// A handful of error classes with exit codes. The CLI's one catch (src/cli/run.ts) prints them.
import { messages } from './messages.js';

/** Base class of every error a user can hit: the message says what happened, where, and what to do. */
export class CodexlogError extends Error {
  readonly exitCode: number;
  /** Text shown as is after the message (a usage line, the help); not part of the message. */
  readonly detail: string | undefined;
  constructor(message: string, options: { exitCode?: number; cause?: unknown; detail?: string } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CodexlogError';
    this.exitCode = options.exitCode ?? 1;
    this.detail = options.detail;
  }
}

/** Bad command line: unknown command or flag, missing argument. Exit code 2; `detail` is the usage. */
export class UsageError extends CodexlogError {
  constructor(message: string, detail?: string) {
    super(message, { exitCode: 2, detail });
    this.name = 'UsageError';
  }
}

/** A file we refuse to touch (LFS pointer, not a database, corrupt, foreign schema). */
export class RefusedFileError extends CodexlogError {
  readonly file: string;
  /** What is wrong, in a few words without the file (the merge driver names the side instead). */
  readonly reason: string;
  constructor(file: string, message: string, cause?: unknown, reason?: string) {
    super(message, { cause });
    this.name = 'RefusedFileError';
    this.file = file;
    this.reason = reason ?? message;
  }
}

/** A git hook decided the commit must not go ahead (the LFS gate). */
export class BlockedError extends CodexlogError {
  constructor(message: string) {
    super(message);
    this.name = 'BlockedError';
  }
}

/** A git or git-lfs command failed where we did not expect it to. */
export class GitError extends CodexlogError {
  readonly args: readonly string[];
  readonly stderr: string;
  /** git itself could not be started (not installed, or not on PATH). */
  readonly notFound: boolean;
  /** `notFound`: git itself could not be started (not installed, or not on PATH). */
  constructor(args: readonly string[], code: number | null, stderr: string, notFound = false) {
    super(notFound ? messages.gitMissing : messages.gitFailed(`git ${args.join(' ')}`, code, stderr));
    this.name = 'GitError';
    this.args = args;
    this.stderr = stderr;
    this.notFound = notFound;
  }
}
