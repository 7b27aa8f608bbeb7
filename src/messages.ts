// Every sentence a user can read, in one place, so the wording stays consistent and reviewable.
// Each error says what happened, to which file or setting, and what to do next.

/** Prefix of every line a hook prints: short, recognisable in a GUI client's commit log. */
export const PREFIX = 'codexlog-hooks:';

/** A count with thousands separators (3,400). */
const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export const messages = {
  // --- store -------------------------------------------------------------------------------------
  lfsPointer: (file: string) =>
    `${file} is a Git LFS pointer, not the database: this clone has not downloaded the LFS object. ` +
    `Run \`git lfs pull\` (install git-lfs first if it is missing), then retry. The file was left untouched.`,
  notADatabase: (file: string) =>
    `${file} is not an SQLite database. Move it aside or restore it from git (\`git checkout -- ${file}\`), then retry. ` +
    `The file was left untouched.`,
  localStoreUnreadable: (file: string, detail: string) =>
    `${file} (this clone's rows not committed yet) cannot be read (${detail}); it was left untouched. git cannot restore ` +
    `it: move it aside (\`mv ${file} ${file}.broken\`) and retry, and a new one is started; rows it still holds can be ` +
    `salvaged with \`sqlite3 ${file}.broken .recover\`.`,
  corrupt: (file: string, detail: string) =>
    `${file} failed SQLite's integrity check (${detail}). Restore it from git or from a backup ` +
    `(GH_COPILOT_BACKUP_ROOT), then retry. The file was left untouched.`,
  newerSchema: (file: string, version: number, known: number) =>
    `${file} has schema version ${version}, newer than this codexlog-hooks understands (${known}). ` +
    `Upgrade codexlog-hooks (npm install -D codexlog-hooks@latest). The file was left untouched.`,
  foreignColumns: (file: string, table: string, columns: string[]) =>
    `${file}: table ${table} has columns codexlog-hooks does not know (${columns.join(', ')}), so migrating it ` +
    `could lose data. Move them to another table, then retry. The file was left untouched.`,
  invalidLog: (file: string, detail: string) =>
    `${file} is not a valid codexlog database (${detail}). Restore it from git (\`git checkout -- ${file}\`) or from a backup ` +
    '(GH_COPILOT_BACKUP_ROOT). It was left untouched.',
  busy: (file: string, ms: number) =>
    `${file} stayed locked by another writer for ${ms} ms. Retry, or look for a process stuck holding it.`,
  sqliteFailed: (file: string, code: string, detail: string) =>
    `SQLite failed on ${file} (${code}: ${detail}). Check that the file and its folder are readable and writable, ` +
    'then run `codexlog-hooks check`.',
  missingDatabase: (file: string) =>
    `${file} does not exist. Run \`codexlog-hooks record\` (or initCodexLogDb()) to create it, or check paths.log in the config.`,
  gitMissing:
    'git could not be started: it is not installed or not on the PATH this process got. Install git, or fix PATH ' +
    '(for git hooks run by a GUI client: ~/.config/husky/init.sh), then retry.',
  gitFailed: (command: string, code: number | null, stderr: string) =>
    `${command} failed (exit ${code}): ${stderr.trim() || 'no output'}. Run \`codexlog-hooks check\` to see what is wrong with this repository.`,
  // Why a database from another branch is not a valid log (read by the merge driver).
  foreignIntegrity: (detail: string) => `integrity check failed: ${detail}`,
  foreignNewer: (version: number, known: number) => `schema version ${version} is newer than this codexlog-hooks (${known})`,
  foreignNotTable: (table: string, kind: string | undefined) =>
    `${table} ${kind === undefined ? 'is missing' : `is a ${kind}, not a table`}`,
  foreignMissingColumns: (table: string, columns: string[]) =>
    `${table} lacks column${columns.length > 1 ? 's' : ''} ${columns.join(', ')}`,

  // --- config ------------------------------------------------------------------------------------
  configUnreadable: (file: string, detail: string) =>
    `Could not read the config file ${file}: ${detail}. Fix the file (or remove it to use the defaults).`,
  configInvalid: (file: string, key: string, problem: string) =>
    `Invalid config in ${file}: "${key}" ${problem}. Fix that key (see the README's Config section).`,
  backupInsideWorkspace: (backupRoot: string, workspace: string) =>
    `GH_COPILOT_BACKUP_ROOT (${backupRoot}) is inside the workspace (${workspace}); backups there would end up ` +
    `in the repository. Point GH_COPILOT_BACKUP_ROOT to a folder outside ${workspace}.`,
  dbOutsideWorkspace: (key: string, value: string, workspace: string) =>
    `The config's "${key}" (${value}) resolves outside the workspace (${workspace}). Use a path inside the repository.`,
  pathLeavesWorkspace: (link: string, target: string, workspace: string) =>
    `${link} is a symbolic link to ${target}, outside the workspace (${workspace}); codexlog-hooks writes the log only ` +
    `inside the repository. Replace the link with a folder (or point paths in the config elsewhere inside the repository). Nothing was written.`,
  pathBehindLink: (link: string, target: string) =>
    `${link} is a symbolic link (to ${target}), and git does not track files behind a symbolic link, so the log could not be committed. ` +
    'Replace the link with a folder (or point paths in the config to a real folder). Nothing was written.',
  envInvalid: (name: string, value: string, expected: string) => `${name}=${value} is not valid: expected ${expected}.`,

  // --- redaction and scan -------------------------------------------------------------------------
  secretlintUnavailable: (detail: string) =>
    `Redaction could not load secretlint's rules (@secretlint/secretlint-rule-preset-recommend: ${detail}), so no row was stored. ` +
    'Run `npm install` (the package is a dependency of codexlog-hooks), or set "redaction": {"secretlint": false} in the config ' +
    "to redact with codexlog-hooks' own rules only.",
  scanClean: (files: number, rows: number, skipped: string) =>
    `No secret found in the committed log (${plural(files, 'file')}, ${plural(rows, 'row')} checked${skipped}).`,
  scanFound: (secrets: number, rows: number, places: number, files: number, checked: number, skipped: string) =>
    `${plural(secrets, 'secret')} found in ${plural(rows, 'row')} of the committed log, in ${plural(places, 'file')} or older version${places === 1 ? '' : 's'} of ${places === 1 ? 'it' : 'them'} ` +
    `(${plural(files, 'file')}, ${plural(checked, 'row')} checked${skipped}). Rotate each secret now: a committed file keeps it in git history. ` +
    'To take it out of history, rewrite the commits that hold those files (git filter-repo) and have every clone fetch again.',
  scanNotLocal: (n: number) =>
    `; ${plural(n, 'older version')} not read: ${n === 1 ? 'its' : 'their'} Git LFS object is not in this clone (\`git lfs fetch --all\` gets them)`,
  scanSkipped: (n: number) => `; ${plural(n, 'file')} not read: not a log database or not downloaded (--json says which)`,

  // --- api / cli ---------------------------------------------------------------------------------
  testMode: 'TEST_MODE=1: nothing was written.',
  noSession: 'No session is open (codexlog-hooks session start opens one).',
  sessionStarted: (id: string) => `Session ${id} started.`,
  sessionEnded: (id: string) => `Session ${id} ended.`,
  recorded: (uid: string) => `Recorded ${uid}.`,
  finalized: (log: string, copy: string) => `Finalized ${log} into ${copy}; both are staged.`,
  finalizedUnstaged: (log: string, copy: string) => `Finalized ${log} into ${copy} (not a git repository: nothing staged).`,
  backupWritten: (file: string) => `Backup written to ${file}.`,
  rollbackFailed: (dir: string, detail: string) =>
    `Putting the files back failed too (${detail}): \`git status\` shows what the hook left changed, and the copies it ` +
    `kept are in ${dir}.`,
  backupFailed: (root: string, detail: string) =>
    `could not write the backup into GH_COPILOT_BACKUP_ROOT (${root}): ${detail}. Point GH_COPILOT_BACKUP_ROOT at a folder ` +
    'you can write to (outside the workspace), or unset it to finalize without a backup.',
  emptyLog: 'The log is empty.',
  unknownSessionVerb: (verb: string) => `Unknown session command "${verb}".`,
  flagBelongsTo: (flag: string, verb: string) => `--${flag} belongs to session ${verb}.`,
  unknownHook: (name: string) => `Unknown hook "${name}".`,
  unknownCommand: (name: string) => `Unknown command "${name}". Run \`codexlog-hooks --help\` for the list.`,
  missingArgument: (what: string) => `Missing ${what}.`,
  tooManyArguments: 'Too many arguments.',
  dashValue: (example: string) => `A value starting with '-' goes after \`--\`: ${example}`,
  /** The one form of a usage line (shown under every usage error and by --help). */
  usageLine: (usage: string) => `Usage: codexlog-hooks ${usage}`,
  badFlagValue: (flag: string, value: string, expected: string) => `--${flag} ${value}: expected ${expected}.`,
  unexpected: (detail: string) => `Unexpected error: ${detail}. Run again with DEBUG=codexlog for details, and report it if it persists.`,

  // --- reading the log (sessions, show, stats, why, export, sql, report) ----------------------------
  pendingFootnote: '* uncommitted: waits in the git dir, enters the log at the next commit',
  noSessions: 'No sessions in the log.',
  showNotFound: (arg: string) =>
    `No session or commit "${arg}" in the log, and git knows no such commit here. ` +
    'Run `codexlog-hooks sessions` for the session ids, or `git log` for the commits.',
  showAmbiguous: (arg: string, sha: string) =>
    `"${arg}" names both a session and commit ${sha}. Say which: add --as session or --as commit.`,
  showShaAmbiguous: (prefix: string, shas: string[]) =>
    `"${prefix}" starts ${shas.length} commits the log knows (${shas.map((s) => s.slice(0, 12)).join(', ')}). Give more of the SHA.`,
  showNoSession: (id: string) => `No session "${id}" in the log. Run \`codexlog-hooks sessions\` for the session ids.`,
  showNoCommit: (arg: string) => `No commit "${arg}" in git here or in the log. Check the name with \`git log\`, or give a full SHA.`,
  commitNotInLog: (sha: string) =>
    `The log has no rows for commit ${sha}: it was made without the hooks, or its rows still wait in the clone that made it ` +
    "(they enter the log at that clone's next commit).",
  commitNoSessions: 'No agent session went into this commit.',
  commitRewritten: (from: string[], into: string[]) =>
    [from.length ? `rewritten from ${from.join(', ')}` : '', into.length ? `rewritten as ${into.join(', ')}` : '']
      .filter(Boolean)
      .join('; '),
  show: {
    commit: (sha: string, subject: string) => `commit ${sha}${subject ? `  ${subject}` : ''}`,
    recorded: (ts: string, pending: boolean) => `recorded ${ts}${pending ? ' (uncommitted)' : ''}`,
    parents: (parents: string[]) => `parents ${parents.length ? parents.join(' ') : '(none: a root commit)'}`,
    sessions: (n: number) => `Sessions whose rows went into it (${n}):`,
    actions: (n: number) => `Their rows (${n}):`,
    own: (n: number) => `The commit's own rows (${n}):`,
    session: (id: string) => `session ${id}`,
    sessionFacts: (agent: string, models: string, actions: number, files: number, commits: number) =>
      `agent ${agent || '(none named)'}, model ${models || '(none named)'}: ${actions} action${actions === 1 ? '' : 's'}, ` +
      `${files} file${files === 1 ? '' : 's'} touched, ${commits} commit${commits === 1 ? '' : 's'}`,
    span: (start: string, end: string, ended: boolean) => `from ${start} to ${end}${ended ? '' : ' (no end event)'}`,
    commits: (shas: string[]) => `went into ${shas.join(' ')}`,
    timeline: (n: number) => `Timeline (${n}):`,
  },
  whyOutside: (arg: string, root: string) =>
    `${arg} is not a path inside the repository (${root}). Give a file or folder inside it: agent rows record paths relative to the repository root.`,
  whyNothing: (file: string) => `No agent action in the log touched ${file}.`,
  exportNeedsFile: '--format sqlite writes a database file: name it with -o <file>.',
  exported: (actions: number, events: number, file: string) =>
    `Exported ${actions.toLocaleString('en-US')} actions and ${events.toLocaleString('en-US')} session events to ${file}.`,
  exportProgress: 'exporting rows',
  reportProgress: 'writing the report',
  reportWritten: (file: string, rows: number, sessions: number, commits: number) =>
    `Report written to ${file} (${rows.toLocaleString('en-US')} rows, ${sessions.toLocaleString('en-US')} sessions, ` +
    `${commits.toLocaleString('en-US')} commits). Open it in a browser.`,
  outputIsLogFile: (file: string) =>
    `${file} is one of the log's own files (the log, its session copy, a segment, or the state in the git dir). ` +
    'Choose another path with -o. Nothing was written.',
  stdoutFailed: (code: string, detail: string) =>
    `could not write to standard output (${code}): ${detail}. The output is incomplete: check the disk or the file it goes to, ` +
    'or send it elsewhere (for example export -o <file>).',
  outputExists: (file: string) =>
    `${file} already exists. Pass --force to replace it, or choose another path with -o. Nothing was written.`,
  outputLeftover: (file: string, leftover: string) =>
    `${leftover} is left beside ${file} (a database's journal): SQLite would replay it into the export. ` +
    'Pass --force to replace both, or choose another path with -o. Nothing was written.',
  outputIsFolder: (file: string) =>
    `${file} is a folder. Give a file path with -o (for example ${file}/codexlog-export). Nothing was written.`,
  outputUnwritable: (file: string, detail: string) =>
    `Could not write ${file} (${detail}). Check that its folder exists and is writable, or choose another path with -o.`,
  sqlEmpty: 'The query is empty. Give one SELECT statement, for example: codexlog-hooks sql "SELECT count(*) FROM codex_actions"',
  sqlRefused: (verb: string) =>
    `sql runs read-only queries: a statement starting with ${verb} is refused (allowed: SELECT, WITH, VALUES, EXPLAIN). ` +
    'Nothing was run. The log changes only through record and commits.',
  sqlWrites:
    'sql runs read-only queries, and this statement would write. Nothing was run. The log changes only through record and commits.',
  sqlNoRows: 'This statement returns no rows. Give a SELECT (or WITH, VALUES, EXPLAIN) statement.',
  sqlOneFormat: '--json and --csv are two output formats: choose one.',
  sqlMultiple: 'Give one statement at a time: the query holds more than one. Nothing was run.',
  sqlFailed: (detail: string) => `SQLite refused the query: ${detail}. The tables are codex_actions and codex_log (see the README).`,
  stats: {
    rows: (rows: number, pending: number, since: string | null) =>
      `${rows.toLocaleString('en-US')} rows${pending ? ` (${pending.toLocaleString('en-US')} uncommitted)` : ''}${since ? ` since ${since}` : ''}`,
    agentRows: (rows: number, sessions: number) =>
      `${rows.toLocaleString('en-US')} of them from agents and tools, in ${sessions.toLocaleString('en-US')} session${sessions === 1 ? '' : 's'}`,
    commits: (total: number, withAgent: number, withSessions: number) =>
      total === 0
        ? 'No commits in the log.'
        : `${total.toLocaleString('en-US')} commit${total === 1 ? '' : 's'}: ${withAgent.toLocaleString('en-US')} (${Math.round((withAgent / total) * 100)}%) ` +
          `carry agent activity, ${withSessions.toLocaleString('en-US')} (${Math.round((withSessions / total) * 100)}%) carry rows of any session`,
  },
  report: {
    title: (name: string) => `codexlog: ${name}`,
    timeline: 'Sessions and commits',
    activity: 'Activity per day',
    actions: 'Rows',
    agent: 'Agent',
    session: 'Session',
    action: 'Action',
    filterText: 'Filter text',
    detail: 'Row',
    detailHint: 'Click a row to see it whole.',
    /** Labels the page's script uses ({name} is filled in there). */
    page: {
      summary: '{rows} rows · {sessions} sessions · {commits} commits · generated {generated}',
      filterText: 'Filter text',
      allAgents: 'All agents',
      allSessions: 'All sessions',
      allActions: 'All actions',
      noAgent: '(no agent)',
      time: 'Time',
      pending: 'uncommitted',
      session: 'Session',
      agent: 'Agent',
      action: 'Action',
      id: 'Id',
      count: '{shown} of {total} rows',
      nothing: 'Nothing to show.',
      timeline: 'Timeline of sessions and commits',
      commits: 'commits',
      sessionFacts: '{actions} actions, {files} files, {commits} commits',
      activity: 'Rows per day',
    } as Record<string, string>,
  },

  // --- hooks and the LFS gate ---------------------------------------------------------------------
  lfsMissing:
    'git-lfs is not installed, so git would store the log databases raw. Install it ' +
    '(Debian/Ubuntu: `sudo apt-get install git-lfs`, macOS: `brew install git-lfs`), then run `npx codexlog-hooks install`.',
  lfsFiltersMissing:
    'The Git LFS filters are not configured in this clone, so git would store the log databases raw. ' +
    'Run `git lfs install --local --skip-repo` (or `npx codexlog-hooks install`).',
  lfsFiltersForeign: (command: string) =>
    `The Git LFS filter in this clone runs \`${command}\`, not git-lfs, so git would store the log databases raw. ` +
    'Run `git lfs install --local --skip-repo --force` to restore it.',
  allowAutoLfsOff:
    'ALLOW_AUTOLFS is off for this environment, and the log databases are committed through Git LFS. ' +
    'Run `export ALLOW_AUTOLFS=1` (or, once for this clone, `npx codexlog-hooks install --allow-autolfs`), then commit again.',
  notTracked: (paths: string[]) =>
    `${paths.join(', ')} ${paths.length > 1 ? 'are' : 'is'} not tracked by Git LFS in .gitattributes. ` +
    'Run `npx codexlog-hooks install && git add .gitattributes` (it writes the LFS lines with the merge driver), ' +
    'or set ALLOW_AUTOLFS=1 to let the hook repair the tracking itself.',
  gitattributesNotStaged: '.gitattributes is not in the index, so the LFS tracking would not be committed. Run `git add .gitattributes`.',
  notAPointer: (file: string) =>
    `${file} is staged as a raw file, not as a Git LFS pointer. Run \`git lfs install --local --skip-repo && ` +
    `git add --renormalize ${file}\`, then commit again.`,
  trackingRepaired: (paths: string[]) => `tracked ${paths.join(', ')} with Git LFS and staged .gitattributes.`,
  commitBlocked: 'commit blocked. Nothing was staged or changed.',
  hookNotInstalled: (bin: string) => `${bin} is missing: codexlog-hooks is not installed in node_modules. Run \`npm install\`.`,

  // --- install / uninstall / check ----------------------------------------------------------------
  notARepo: (cwd: string) => `${cwd} is not inside a git repository. Run \`git init\` first, or cd into your repository.`,
  noPackageJson: (dir: string) => `No package.json in ${dir}. Run \`npm init -y\` and \`npm install -D codexlog-hooks\` there first.`,
  notADependency: (dir: string) =>
    `codexlog-hooks is not installed in ${dir}/node_modules, so teammates' hooks could not find it. ` +
    'Run `npm install -D codexlog-hooks`, then `npx codexlog-hooks install`.',
  huskyRefused: (expected: string, actual: string | null, said: string) =>
    `Husky did not install its hooks: core.hooksPath is ${actual ?? 'unset'}, expected ${expected}` +
    `${said ? ` (husky said: ${said})` : ''}. Check that ${expected} is inside the repository and writable.`,
  cannotChain: (file: string, name: string, names: readonly string[]) =>
    `${file} runs today, but "${name}" is not a hook codexlog-hooks can keep running (it dispatches: ${names.join(', ')}). ` +
    'Nothing was changed. Move that hook out of the hooks folder (or rename it), then run `npx codexlog-hooks install` again.',
  installDone: (changes: string[], chained: string[]) =>
    (changes.length
      ? `installed:\n${changes.map((c) => `  - ${c}`).join('\n')}`
      : 'codexlog-hooks is already installed; nothing changed.') +
    (chained.length ? `\nyour hooks keep running, before codexlog-hooks:\n${chained.map((c) => `  - ${c}`).join('\n')}` : ''),
  prepareFailed: (detail: string) =>
    `could not set up the git hooks in this clone (${detail}). npm install goes on; run \`npx codexlog-hooks install\` to see and fix it.`,
  installLfsAbsent:
    'git-lfs is not installed: the hooks will block commits until it is. Install it (Debian/Ubuntu: ' +
    '`sudo apt-get install git-lfs`, macOS: `brew install git-lfs`) and run `npx codexlog-hooks install` again.',
  uninstallDone: (changes: string[]) =>
    changes.length ? `removed:\n${changes.map((c) => `  - ${c}`).join('\n')}` : 'codexlog-hooks was not installed; nothing changed.',
  databasesStillTracked: (paths: string[]) =>
    `${paths.join(' and ')} stay${paths.length > 1 ? '' : 's'} in the repository as Git LFS pointers, now without the attributes ` +
    `that kept them in LFS. To stop committing them: \`git rm --cached ${paths.join(' ')} && git commit\`.`,
  checkOk: 'All checks passed.',
  hooksNotInstalled: 'The git hooks are not installed (core.hooksPath is unset). Run `npx codexlog-hooks install`.',
  hooksIncomplete: (dir: string) =>
    `The codexlog-hooks scripts in ${dir} are missing or incomplete, so commits are not logged. Run \`npx codexlog-hooks install\`.`,
  packageMissing:
    'codexlog-hooks is not installed in this checkout (node_modules/codexlog-hooks is missing), so commits are not logged. ' +
    'Run `npm install` (or `npx codexlog-hooks@latest uninstall` to remove the hooks).',
  hookNeverRuns: (file: string, name: string) => `${file} never runs: "${name}" is not a git hook name. Rename or remove it.`,
  hookNeedsInstall: (file: string, name: string) =>
    `${file} does not run yet: this clone runs no ${name} hook until \`npx codexlog-hooks install\` runs again (it adds one only where a hook needs it).`,
  hookNotExecutable: (file: string) => `${file} does not run: it is not executable. Run \`chmod +x ${file}\`.`,
  hookIgnored: (file: string, name: string, husky: string | null) =>
    `${file} does not run: git reads this clone's hooks from codexlog-hooks's dispatcher, which does not chain git's own hooks folder. ` +
    (husky
      ? `Move its command into ${husky}/${name}, or chain the folder: \`git config --unset core.hooksPath && npx codexlog-hooks install\`.`
      : `Chain the folder: \`git config --unset core.hooksPath && npx codexlog-hooks install\`.`),
  hooksPathWrong: (value: string) =>
    `core.hooksPath is ${value}, which does not run the codexlog-hooks hooks. Run \`npx codexlog-hooks install\`.`,
  hooksBypassed: 'The hooks are switched off in this environment (HUSKY=0 or CODEXLOG_HOOKS=0). Unset it to log commits.',
  rowsMissingFromHead: (n: number) =>
    `${n} row${n === 1 ? '' : 's'} this branch's log held ${n === 1 ? 'is' : 'are'} missing from it now (a revert, a reset or a checkout of older files ` +
    'took them out). The next logged commit puts them back; to do it now: `npx codexlog-hooks finalize && git commit -m "Restore log rows"`.',
  checkProblems: (n: number) => `${n} problem${n === 1 ? '' : 's'} found.`,

  sparseNotPointer: (file: string) =>
    `${file} is outside this sparse checkout and its index entry is not a Git LFS pointer, so the log cannot be updated. ` +
    `Run \`git sparse-checkout add ${file.split('/')[0]}\` and commit again.`,
  sparseMissingObject: (file: string) =>
    `${file} is outside this sparse checkout and its Git LFS object could not be fetched. Run \`git lfs fetch\` (or ` +
    `\`git sparse-checkout add ${file.split('/')[0]}\`), then commit again.`,

  // --- agents -------------------------------------------------------------------------------------
  agentFileUnreadable: (file: string, detail: string) =>
    `${file} is not a hooks file codexlog-hooks can edit (${detail}). It was left untouched: fix it (it must be a JSON object ` +
    'whose "hooks" maps event names to arrays), or pass `--agents none`, then run `npx codexlog-hooks install` again.',
  agentFileDanglingLink: (file: string) =>
    `${file} is a symbolic link to a file that does not exist, so codexlog-hooks did not write it. Create the file it points ` +
    'to (or remove the link), or pass `--agents none`, then run `npx codexlog-hooks install` again.',
  agentsFlagInvalid: (value: string, known: string[]) =>
    `--agents ${JSON.stringify(value)} names no agent codexlog-hooks knows. Give a comma-separated list of ${known.join(', ')}, or none.`,
  codexTrustNotice: (file: string) =>
    `Codex runs ${file} only in a project you trust, and each hook only after you review it: start \`codex\` here, ` +
    'open `/hooks` and approve the codexlog-hooks entries (each clone once; `codexlog-hooks check` says which are pending).',
  claudeCwdNotice: (file: string) =>
    `Claude Code reads ${file} from the folder it starts in: start \`claude\` at the repository's top level to log its sessions.`,
  agentNotWired: (agent: string, file: string) =>
    `${agent}: ${file} has no codexlog-hooks entries, so ${agent} sessions are not logged. Run \`npx codexlog-hooks install --agents ${agent}\`` +
    ' (or ignore this if the team does not use it).',
  agentPartlyWired: (agent: string, file: string) =>
    `${agent}: the codexlog-hooks entries in ${file} are incomplete or stale, so some ${agent} events are not logged. Run \`npx codexlog-hooks install\`.`,
  agentScriptMissing: (file: string) =>
    `The agents' hook command finds nothing at ${file}, so agent sessions in this clone are not logged. Run \`npx codexlog-hooks install\`.`,
  agentWired: (agent: string, file: string) => `${agent}: hooks installed in ${file}.`,
  codexTrustUnknown: (why: string) => `codex: whether this clone trusts the hooks cannot be told (${why}).`,
  codexProjectUntrusted: (top: string, config: string) =>
    `codex: the project ${top} is not trusted in ${config}, so Codex runs none of its hooks. Start \`codex\` here and trust the folder, ` +
    'then review the hooks in `/hooks`.',
  codexHooksUnreviewed: (n: number, total: number, where: string) =>
    `codex: ${n} of the ${total} codexlog-hooks entries are not trusted yet (${where}); Codex skips them without a word. ` +
    'Start `codex` here, open `/hooks` and approve them.',
  codexHooksTrusted: (total: number, where: string) => `codex: all ${total} codexlog-hooks entries are trusted (${where}).`,
  codexHooksRejected: (file: string, warnings: string[]) =>
    `codex: Codex rejects ${file} (${warnings.join('; ')}), so none of its hooks run. Fix the file, then run \`npx codexlog-hooks install\`.`,

  // --- import -------------------------------------------------------------------------------------
  importUnknownAgent: (name: string) => `Unknown agent "${name}": import reads codex (rollouts) or claude (Claude Code transcripts).`,
  importSourceMissing: (source: string, agent: string) =>
    `${source} does not exist. Give the path of a ${agent === 'codex' ? 'Codex rollout (rollout-….jsonl)' : 'Claude Code transcript (<session>.jsonl)'} ` +
    `or of a folder of them (${agent === 'codex' ? 'by default $CODEX_HOME/sessions, else ~/.codex/sessions' : 'by default $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects'}).`,
  importSourceUnreadable: (source: string, detail: string) =>
    `${source} could not be read (${detail}). Check that it is a file or a folder you can read, then run the import again.`,
  importNothingFound: (source: string, agent: string) =>
    `No ${agent === 'codex' ? 'Codex rollouts (rollout-*.jsonl)' : 'Claude Code transcripts (*.jsonl)'} under ${source}: nothing to import.`,
  importProgress: (done: number, total: number, rows: number) => `import: ${count(done)}/${count(total)} files, ${count(rows)} rows`,
  importDone: (agent: string, sessions: number, files: number, added: number, known: number, testMode: boolean) =>
    `${testMode ? 'Would import' : 'Imported'} ${count(sessions)} ${agent === 'codex' ? 'Codex' : 'Claude Code'} session${sessions === 1 ? '' : 's'} ` +
    `from ${count(files)} file${files === 1 ? '' : 's'}: ${count(added)} new row${added === 1 ? '' : 's'}, ` +
    `${count(known)} already in the log.` +
    (added > 0 && !testMode ? ' They enter the tracked log at the next commit (or `codexlog-hooks finalize`).' : ''),
  importSkippedFolders: (sessions: number, folders: string[]) =>
    `Skipped ${count(sessions)} session${sessions === 1 ? '' : 's'} of other folders (${folders.slice(0, 3).join(', ')}` +
    `${folders.length > 3 ? ` and ${folders.length - 3} more` : ''}); \`--any-cwd\` imports them too.`,
  importSkippedNoCwd: (sessions: number) =>
    `Skipped ${count(sessions)} session${sessions === 1 ? '' : 's'} that name no working folder; \`--any-cwd\` imports them too.`,
  importUnreadableLines: (n: number) =>
    `${count(n)} line${n === 1 ? ' was' : 's were'} not JSON (a torn last line, garbage) and were skipped.`,
  importFailed: (failed: Array<{ file: string; error: string }>) =>
    `${failed.length} file${failed.length === 1 ? '' : 's'} could not be read:\n${failed
      .slice(0, 10)
      .map((f) => `  ${f.file}: ${f.error}`)
      .join('\n')}${failed.length > 10 ? `\n  and ${failed.length - 10} more` : ''}\n` +
    'Fix their permissions (or remove them) and run the import again: what was read is in the log, and nothing is added twice.',

  // --- merge driver -------------------------------------------------------------------------------
  mergeMissingObject: (file: string, side: string) =>
    `cannot merge ${file}: the Git LFS object for ${side} is not in this clone. Run \`git lfs fetch --all\` ` +
    '(or `git lfs pull`), then redo the merge. The conflict was left for you.',
  mergeRefused: (file: string, side: string, detail: string) =>
    `cannot merge ${file}: ${side} is not a valid codexlog database (${detail}). The conflict was left for you: ` +
    `resolve it with \`git checkout --ours -- ${file}\` or \`--theirs\`.`,
  mergeDone: (file: string, added: number) => `merged ${file}: ${added} row${added === 1 ? '' : 's'} from the other side.`,
  // --- sync-branch, restore, CI workflows ----------------------------------------------------
  syncMergeMessage: (base: string, branch: string) =>
    `Merge branch '${base}' into ${branch}\n\nBy codexlog-hooks sync-branch: the log databases merged by the union of their rows, ` +
    'so that the server can merge this branch (servers do not run merge drivers).',
  syncUpToDate: (branch: string, base: string) => `${branch} already contains ${base}: nothing to do.`,
  syncNoConflict: (branch: string, base: string) =>
    `${base} merges into ${branch} without a conflict (the log did not change on both sides): nothing to do.`,
  syncMerged: (branch: string, base: string, commit: string) =>
    `merged ${base} into ${branch} (${commit.slice(0, 12)}), the log databases by the union of their rows.`,
  syncNotPushed: (branch: string) => `not pushed: run \`git push\` (or sync-branch with --push) to update ${branch} on the server.`,
  syncPushed: (remote: string, branch: string) => `pushed ${branch} to ${remote}, its Git LFS objects first.`,
  syncDeepened: (commits: number | null, branch: string, base: string) =>
    `fetched ${commits === null ? 'the rest of the history' : `${commits} more commits`} of this shallow clone, to find where ${branch} and ${base} parted.`,
  syncRefused: (branch: string, base: string, files: string[], remote: string) =>
    `cannot sync ${branch} with ${base}: ${files.join(', ')} ${files.length === 1 ? 'conflicts' : 'conflict'} outside the log, ` +
    'which needs a person. Nothing was changed. Merge it yourself where codexlog-hooks is installed (the log then merges by itself): ' +
    `\`git fetch ${remote} && git merge ${remote}/${base}\`, resolve ${files.length === 1 ? 'that file' : 'those files'}, commit and push.`,
  syncMergeFailed: (branch: string, base: string, files: string[], detail: string) =>
    `cannot sync ${branch} with ${base}: the merge left ${files.join(', ')} in conflict${detail ? ` (${detail})` : ''}. ` +
    'The merge was aborted: the index and the work tree are as they were.',
  syncDetached: 'HEAD is detached: check out the branch to sync (`git checkout <branch>`), then run sync-branch again.',
  syncOnBase: (base: string) => `This is ${base}, the base itself: check out the branch to bring up to date with it.`,
  syncInProgress: (ops: string[]) => `A ${ops.join(' and ')} is in progress: finish it or abort it, then run sync-branch again.`,
  syncDirty: (files: string[]) =>
    `${files.slice(0, 5).join(', ')}${files.length > 5 ? ` and ${files.length - 5} more` : ''} ${files.length === 1 ? 'has' : 'have'} ` +
    'uncommitted changes: commit or stash them, then run sync-branch again. Nothing was changed.',
  syncNoBase: (remote: string) =>
    `Could not tell the default branch of ${remote} (no refs/remotes/${remote}/HEAD, and the remote did not say): pass it, e.g. --base main.`,
  syncNoBaseBranch: (remote: string, base: string) => `${remote} has no branch ${base}: check --base.`,
  syncUnrelated: (branch: string, base: string) => `${branch} and ${base} share no history: there is nothing sync-branch can merge.`,
  syncBadBranchName: (name: string) => `"${name}" is not a valid branch name.`,
  behindOnLog: (base: string) =>
    `This branch is behind ${base} on the log: both changed the log databases since they parted, and a hosting server does not run ` +
    "the merge driver, so this branch's pull request shows a conflict on them. Run `npx codexlog-hooks sync-branch` (and push), " +
    'or let CI do it: `npx codexlog-hooks install --ci github`.',
  rowsDroppedBy: (n: number, commit: string, subject: string) =>
    `${n} row${n === 1 ? '' : 's'} of the log ${n === 1 ? 'was' : 'were'} dropped by ${commit.slice(0, 12)} ("${subject}") and ` +
    `${n === 1 ? 'is' : 'are'} missing from this branch: a rebase replayed that commit without the merge driver (a server's ` +
    `rebase merge, or a clone without codexlog-hooks). Put ${n === 1 ? 'it' : 'them'} back: ` +
    `\`npx codexlog-hooks restore ${commit.slice(0, 12)} && npx codexlog-hooks finalize && git commit -m "Restore log rows"\`.`,
  restoreDone: (n: number, commit: string) =>
    `put back ${n} row${n === 1 ? '' : 's'} that ${commit.slice(0, 12)} dropped, among the uncommitted rows: the next commit carries ` +
    `${n === 1 ? 'it' : 'them'} (to commit now: \`npx codexlog-hooks finalize && git commit -m "Restore log rows"\`).`,
  restoreNothing: (commit: string) => `${commit.slice(0, 12)} dropped no row this branch is missing: nothing to put back.`,
  restoreNoCommit: (rev: string) => `${rev} is not a commit of this repository.`,
  restoreRootCommit: (commit: string) => `${commit.slice(0, 12)} has no parent, so it dropped nothing.`,
  restoreMissingObjects: (commit: string, parent: string) =>
    `The Git LFS objects of the log at ${commit.slice(0, 12)} and its parent are not all in this clone. Run ` +
    `\`git lfs fetch origin ${parent.slice(0, 12)} ${commit.slice(0, 12)}\`, then restore again.`,
  restoreNotPointer: (commit: string, file: string) =>
    `${file} at ${commit.slice(0, 12)} is not a Git LFS pointer, so restore cannot read its rows.`,
  ciUnknown: (value: string) => `--ci ${value}: expected github (GitLab CI and merge queues: see the README).`,
  ciFileForeign: (file: string) =>
    `${file} exists and is not the workflow codexlog-hooks wrote. Nothing was changed. Move it aside (or delete it), then run install --ci github again.`,
  ciWritten: (file: string, base: string) => `${file} (syncs open pull requests with ${base}; commit and push it)`,
  ciKeptChanged: (file: string) =>
    `${file} was changed since install wrote it, so it was kept. Delete it yourself if you no longer want it.`,
} as const;
