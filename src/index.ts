// The library's public surface: the seed's API plus the types it returns.
export {
  type ActionInput,
  type ApiOptions,
  closeCodexLogDb,
  finalizeCodexLogDb,
  initCodexLogDb,
  type LogEntry,
  logCodexEnd,
  logCodexStart,
  readCodexLog,
  readCodexSessions,
  recordCodexAction,
  recordCodexActions,
} from './api.js';
export type { Config } from './config.js';
export { ENV_VARIABLES } from './env.js';
export { BlockedError, CodexlogError, GitError, RefusedFileError, UsageError } from './errors.js';
export type { FinalizeResult } from './finalize.js';
export type { ActionQuery, ActionRow, EventRow } from './rows.js';
