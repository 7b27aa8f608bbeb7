// `check`: every problem that would block or silently break logging, each with its fix.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { codexEntries, codexTrust } from './agents/codex-trust.js';
import { AGENTS } from './agents/types.js';
import { droppedRowsProblems } from './dropped.js';
import { CodexlogError } from './errors.js';
import { inspectGate, type Problem } from './gate.js';
import { configGet } from './git/config.js';
import { lfsLsFiles } from './git/lfs.js';
import { lfsStorageDir } from './git/lfs-objects.js';
import type { RepoPaths } from './git/repo.js';
import { currentBranch } from './git/repo.js';
import { readInbox } from './ingest.js';
import { AGENT_FILES, agentWiring, type HooksFile, isOurCommand, readHooksFile } from './install/agent-hooks.js';
import { isLfsHook, runnableHooks } from './install/coexist.js';
import { dispatcherPaths, HOOK_NAMES } from './install/dispatcher.js';
import { huskyHooksPath } from './install/husky.js';
import { readManifest } from './install/manifest.js';
import { ledgerEntry, readLedger, withUpdates } from './ledger.js';
import { messages } from './messages.js';
import { lostRows } from './restore.js';
import { viewDb } from './state.js';
import { inspectDatabaseFile } from './store/sqlite.js';
import { validateLogFile } from './store/untrusted.js';
import { LogView, listSegments } from './store/view.js';
import { behindOnLog } from './sync-branch.js';
import { openWorkspace, type RunContext } from './workspace.js';

/** The doctor's findings: problems (each with its fix) and notes that are merely informative. */
export interface Diagnosis {
  problems: Problem[];
  notes: string[];
}

/**
 * What stands between the clone and its hooks running: core.hooksPath not at the dispatcher (or
 * its scripts gone), the package missing from this checkout, and hook files that exist but would
 * not run (not executable, not a hook name, or in a folder git no longer reads).
 */
function hookProblems(repo: RepoPaths, hooksPath: string | null): Problem[] {
  const problems: Problem[] = [];
  const paths = dispatcherPaths(repo.commonDir);
  const ours = huskyHooksPath(paths.husky);
  if (!hooksPath) problems.push({ id: 'hooks', message: messages.hooksNotInstalled });
  else if (hooksPath !== ours) problems.push({ id: 'hooks', message: messages.hooksPathWrong(hooksPath) });
  else if (
    ![path.join(ours, 'h'), path.join(paths.husky, 'pre-commit'), paths.dispatch, paths.run, paths.record].every((f) => existsSync(f))
  ) {
    problems.push({ id: 'hooks', message: messages.hooksIncomplete(paths.root) });
  }
  const manifest = readManifest(repo);
  const chain = manifest?.chain ?? [];
  const huskyFiles = manifest?.huskyFiles ?? null;
  // Where the runner looks for the package: this worktree's node_modules, then the install's.
  const entries = [
    path.join(repo.topLevel, manifest?.pkgRel ?? '', 'node_modules', 'codexlog-hooks', 'bin', 'codexlog-hooks.js'),
    manifest?.entry ?? '',
  ];
  if (hooksPath === ours && !entries.some((e) => e && existsSync(e))) problems.push({ id: 'package', message: messages.packageMissing });
  // Hook files that would not run.
  const dirs = [...chain.map((d) => path.resolve(repo.topLevel, d)), ...(huskyFiles ? [path.join(repo.topLevel, huskyFiles)] : [])];
  for (const dir of dirs) {
    for (const h of runnableHooks(dir)) {
      const isHusky = huskyFiles !== null && dir === path.join(repo.topLevel, huskyFiles);
      if (!(HOOK_NAMES as readonly string[]).includes(h.name))
        problems.push({ id: 'hook-name', message: messages.hookNeverRuns(h.file, h.name) });
      else if (!isHusky && !h.runnable) problems.push({ id: 'hook-mode', message: messages.hookNotExecutable(h.file) });
      else if (hooksPath === ours && !existsSync(path.join(ours, h.name)))
        problems.push({ id: 'hook-stub', message: messages.hookNeedsInstall(h.file, h.name) });
    }
  }
  // git's own hooks folder, when the dispatcher does not read it: hooks added there after install.
  const gitHooks = path.join(repo.commonDir, 'hooks');
  if (hooksPath === ours && !dirs.includes(gitHooks)) {
    for (const h of runnableHooks(gitHooks)) {
      if (h.runnable && !isLfsHook(h.file))
        problems.push({ id: 'hook-ignored', message: messages.hookIgnored(h.file, h.name, huskyFiles) });
    }
  }
  return problems;
}

/** Per agent: whether our entries are in its hooks file, and for Codex whether this clone trusts them. */
async function agentFindings(repo: RepoPaths, env: NodeJS.ProcessEnv): Promise<Diagnosis> {
  const problems: Problem[] = [];
  const notes: string[] = [];
  let wired = false;
  for (const agent of AGENTS) {
    const rel = AGENT_FILES[agent];
    const file = path.join(repo.topLevel, rel);
    let hooks: HooksFile;
    try {
      hooks = readHooksFile(file);
    } catch (e) {
      problems.push({ id: 'agent-file', message: (e as Error).message });
      continue;
    }
    const wiring = agentWiring(hooks.data, agent);
    if (wiring === 'absent') {
      notes.push(messages.agentNotWired(agent, rel));
      continue;
    }
    wired = true;
    if (wiring === 'partial') problems.push({ id: 'agent-hooks', message: messages.agentPartlyWired(agent, rel) });
    else notes.push(messages.agentWired(agent, rel));
    if (agent !== 'codex') continue;
    const trust = await codexTrust(repo.topLevel, file, codexEntries(file, hooks.data, isOurCommand), env);
    if (trust.state === 'unknown') notes.push(messages.codexTrustUnknown(trust.why));
    else if (trust.state === 'project-untrusted')
      problems.push({ id: 'codex-trust', message: messages.codexProjectUntrusted(repo.topLevel, trust.config) });
    else if (trust.state === 'rejected') problems.push({ id: 'codex-trust', message: messages.codexHooksRejected(rel, trust.warnings) });
    else if (trust.pending.length > 0)
      problems.push({ id: 'codex-trust', message: messages.codexHooksUnreviewed(trust.pending.length, trust.total, trust.where) });
    else notes.push(messages.codexHooksTrusted(trust.total, trust.where));
  }
  const script = dispatcherPaths(repo.commonDir).agentHook;
  if (wired && !existsSync(script)) problems.push({ id: 'agent-script', message: messages.agentScriptMissing(script) });
  return { problems, notes };
}

/** Inspects the repository without changing anything. */
export async function diagnose(ctx: RunContext): Promise<Diagnosis> {
  const ws = await openWorkspace(ctx);
  if (!ws.repo) throw new CodexlogError(messages.notARepo(ctx.cwd));
  const { settings, git, repo } = ws;
  const problems: Problem[] = [];
  const notes: string[] = [];

  const gate = await inspectGate(git, settings);
  problems.push(...gate.problems.filter((p) => p !== gate.tracking));
  // Missing tracking is a problem here even when ALLOW_AUTOLFS would repair it at commit time.
  if (gate.tracking) problems.push(gate.tracking);

  problems.push(...hookProblems(repo, await configGet(git, 'core.hooksPath')));
  if (settings.env.hooksDisabled) problems.push({ id: 'hooks-bypassed', message: messages.hooksBypassed });
  const agents = await agentFindings(repo, ctx.env);
  problems.push(...agents.problems);
  notes.push(...agents.notes);

  // The databases first: a log that cannot be read is reported once, and rows missing from it are
  // not looked for.
  const segments = listSegments(settings.segmentsDir).map((n) => path.join(settings.segmentsDir, n));
  for (const file of [settings.logDb, settings.sessionDb, ...segments]) {
    try {
      if (inspectDatabaseFile(file) !== 'sqlite') continue;
      validateLogFile(file);
    } catch (e) {
      problems.push({ id: 'database', message: (e as Error).message });
    }
  }

  // Rows this branch's log held that a git operation took out (a revert): the next commit puts
  // them back; meanwhile they are missing from HEAD.
  // Merges not ingested yet count too (what they brought in is this branch's log since).
  const waiting = await readInbox(ws, new Map());
  const entry = ledgerEntry(withUpdates(readLedger(ws), waiting.ledger), await currentBranch(git, repo));
  const ledgerLost = new Set<string>(); // reported here, so not again as dropped by a commit
  if (entry && problems.every((p) => p.id !== 'database')) {
    try {
      const view = LogView.open(viewDb(ws));
      try {
        view.refresh({ logDb: settings.logDb, segmentsDir: settings.segmentsDir });
        const storage = lfsStorageDir(repo.commonDir, gate.lfsStorage);
        const lost = lostRows(storage, entry, listSegments(settings.segmentsDir), (uids) => view.known(uids));
        for (const r of [...lost.actions, ...lost.events]) ledgerLost.add(r.uid);
        const n = lost.actions.length + lost.events.length;
        if (n > 0) problems.push({ id: 'rows-missing', message: messages.rowsMissingFromHead(n) });
      } finally {
        view.close();
      }
    } catch (e) {
      problems.push({ id: 'database', message: (e as Error).message });
    }
  }

  // Rows a commit of recent history dropped (a server's rebase merge) that HEAD still lacks.
  if (problems.every((p) => p.id !== 'database')) {
    try {
      const storage = lfsStorageDir(repo.commonDir, gate.lfsStorage);
      for (const message of await droppedRowsProblems(ws, storage, ledgerLost)) problems.push({ id: 'rows-dropped', message });
    } catch (e) {
      problems.push({ id: 'database', message: (e as Error).message });
    }
  }
  // A branch behind its base on the log: its pull request conflicts on the server until synced.
  const behind = await behindOnLog(ws);
  if (behind) notes.push(behind);

  if (gate.lfsInstalled) {
    const listed = (await lfsLsFiles(git)).trim();
    notes.push(
      `git lfs ls-files (cross-check):\n${
        listed
          ? listed
              .split('\n')
              .map((l) => `    ${l}`)
              .join('\n')
          : '    (nothing)'
      }`,
    );
  }
  return { problems, notes };
}
