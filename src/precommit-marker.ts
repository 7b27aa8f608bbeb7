// What a pre-commit leaves for the post-commit of the same commit: the uid of its row and the log
// blob it staged. The post-commit record carries it; ingest links the commit to its pre-commit row
// only when the commit's tree really holds that blob (an aborted attempt's marker never matches).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from './state.js';
import type { Workspace } from './workspace.js';

/** The marker file (bin/codexlog-hook.sh reads and removes it at post-commit). */
export function precommitMarker(ws: Workspace): string {
  return path.join(stateDir(ws), 'precommit');
}

/** Leaves the marker: "<uid> <blob> <log path>" (the path last: it may hold spaces). */
export function writePrecommitMarker(ws: Workspace, uid: string, blob: string): void {
  const file = precommitMarker(ws);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${uid} ${blob} ${ws.settings.logDbRel}\n`);
}
