// The library's public surface: the seed's API plus the types it returns.
export {
  initCodexLogDb,
  recordCodexAction,
  recordCodexActions,
  finalizeCodexLogDb,
  logCodexStart,
  logCodexEnd,
  readCodexLog,
  readCodexSessions,
  closeCodexLogDb,
  type ApiOptions,
  type LogEntry,
  type ActionInput,
} from './api.js';
export type { FinalizeResult } from './finalize.js';
export type { ActionRow, EventRow, ActionQuery } from './rows.js';
export { ENV_VARIABLES } from './env.js';
export type { Config } from './config.js';
export { CodexlogError, UsageError, RefusedFileError, BlockedError, GitError } from './errors.js';
