// Every command of the CLI, loaded lazily: a hook must not pay for the modules of every other command.
import type { CommandRegistry } from './run.js';

export const COMMANDS: CommandRegistry = {
  record: () => import('./commands/record.js'),
  session: () => import('./commands/session.js'),
  finalize: () => import('./commands/finalize.js'),
  log: () => import('./commands/log.js'),
  sessions: () => import('./commands/sessions.js'),
  show: () => import('./commands/show.js'),
  stats: () => import('./commands/stats.js'),
  why: () => import('./commands/why.js'),
  export: () => import('./commands/export.js'),
  sql: () => import('./commands/sql.js'),
  report: () => import('./commands/report.js'),
  install: () => import('./commands/install.js'),
  uninstall: () => import('./commands/uninstall.js'),
  check: () => import('./commands/check.js'),
  import: () => import('./commands/import.js'),
  scan: () => import('./commands/scan.js'),
  hook: () => import('./commands/hook.js'),
  'merge-driver': () => import('./commands/merge-driver.js'),
  // pull requests on hosted git
  'sync-branch': () => import('./commands/sync-branch.js'),
  restore: () => import('./commands/restore.js'),
};
