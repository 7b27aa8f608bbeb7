// The opt-in commit trailer (config agents.commitTrailer): each commit's message names the agent
// sessions whose rows it folds in, so that `git log` shows them without the tool:
//   Codexlog-Session: 01a21c24-43c7-7c93-ac30-7fa0f6ab878c (codex, gpt-5.5)
// pre-commit knows the sessions but cannot touch the message; it leaves them in the git dir, and
// the dispatcher's prepare-commit-msg adds them with `git interpret-trailers` (when the index still
// holds the log blob pre-commit staged: a file an aborted commit left behind names nothing).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FoldedSession } from './commit-rows.js';
import { stateDir } from './state.js';
import type { Workspace } from './workspace.js';

/** The trailer's key. */
export const TRAILER_KEY = 'Codexlog-Session';

/** The trailer lines for `sessions` (control characters and newlines cannot reach the message). */
export function trailerLines(sessions: readonly FoldedSession[]): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return sessions.map((s) => {
    const about = [s.agent, s.model].filter((x): x is string => !!x).map(clean);
    return `${TRAILER_KEY}: ${clean(s.id)}${about.length ? ` (${about.join(', ')})` : ''}`;
  });
}

/** The file prepare-commit-msg reads: "<blob> <log path>", then one trailer per line. */
export function trailerFile(ws: Workspace): string {
  return path.join(stateDir(ws), 'trailer');
}

/** Leaves the trailers of this commit for prepare-commit-msg; with none, removes an older file. */
export function writeTrailerFile(ws: Workspace, blob: string | null, sessions: readonly FoldedSession[]): void {
  const file = trailerFile(ws);
  if (!blob || sessions.length === 0 || !ws.settings.config.agents.commitTrailer) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${blob} ${ws.settings.logDbRel}\n${trailerLines(sessions).join('\n')}\n`);
}
