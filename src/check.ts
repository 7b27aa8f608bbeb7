// `check`: every problem that would block or silently break logging, each with its fix.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError } from './errors.js';
import { inspectGate, type Problem } from './gate.js';
import { configGet } from './git/config.js';
import { lfsLsFiles } from './git/lfs.js';
import { hasBlock } from './install/blocks.js';
import { messages } from './messages.js';
import { inspectDatabaseFile } from './store/sqlite.js';
import { validateLogFile } from './store/untrusted.js';
import { listSegments } from './store/view.js';
import { openWorkspace, type RunContext } from './workspace.js';

/** The doctor's findings: problems (each with its fix) and notes that are merely informative. */
export interface Diagnosis {
  problems: Problem[];
  notes: string[];
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

  const hooksPath = await configGet(git, 'core.hooksPath');
  if (!hooksPath) {
    problems.push({ id: 'hooks', message: messages.hooksNotInstalled });
  } else {
    const dir = path.resolve(repo.topLevel, hooksPath);
    const ourFile = path.join(path.dirname(dir), 'pre-commit');
    const text = existsSync(ourFile) ? readFileSync(ourFile, 'utf8') : '';
    if (path.basename(dir) !== '_' || !existsSync(path.join(dir, 'pre-commit')) || !hasBlock(text)) {
      problems.push({ id: 'hooks', message: messages.hooksPathWrong(hooksPath) });
    }
  }
  if (settings.env.hooksDisabled) problems.push({ id: 'hooks-bypassed', message: messages.hooksBypassed });

  const segments = listSegments(settings.segmentsDir).map((n) => path.join(settings.segmentsDir, n));
  for (const file of [settings.logDb, settings.sessionDb, ...segments]) {
    try {
      if (inspectDatabaseFile(file) !== 'sqlite') continue;
      validateLogFile(file);
    } catch (e) {
      problems.push({ id: 'database', message: (e as Error).message });
    }
  }

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
