// The real agent sessions of test/fixtures/agents (see its README): each variant's transcript and
// the hook payloads the same session sent, with the recorded repository path (@REPO@) and
// transcript path (@TRANSCRIPT@) put back as a test chooses.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rowsOfAgentPayloads } from '../../src/agents/inbox-rows.ts';
import { type RowContext, type RowPlace, rowOfAgentEvent } from '../../src/agents/rows.ts';
import type { AgentEvent, AgentName } from '../../src/agents/types.ts';
import { createDetector } from '../../src/redact/detector.ts';
import { RowRedactor } from '../../src/redact/redact.ts';
import type { EventRow } from '../../src/rows.ts';
import type { StoredAction } from '../../src/store/uncommitted.ts';
import { ROOT } from './repo.ts';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'agents');

/** Every variant of each agent (trust-none and subdir fired no hook: they have no hooks.jsonl). */
export const VARIANTS: Record<AgentName, string[]> = {
  codex: ['default', 'fail', 'subdir', 'trust-none', 'trust-review', 'update'],
  claude: ['default', 'fail', 'subdir', 'subdir-ctl', 'update'],
};

/** One recorded session. */
export interface Fixture {
  agent: AgentName;
  variant: string;
  /** The transcript's file name (rollout-….jsonl, <session>.jsonl). */
  name: string;
  /** Its path in the fixtures (placeholders unreplaced). */
  file: string;
  /** The transcript's text with @REPO@ → `repo`. */
  transcript(repo: string): string;
  /** The hook payloads (one JSON text each, in order) with @REPO@ → `repo` and @TRANSCRIPT@ → `transcriptPath`. */
  payloads(repo: string, transcriptPath: string): string[];
}

export function fixture(agent: AgentName, variant: string): Fixture {
  const dir = path.join(FIXTURES, agent, variant);
  const name = readdirSync(dir).find((n) => n.endsWith('.jsonl') && n !== 'hooks.jsonl') as string;
  const file = path.join(dir, name);
  const hooks = path.join(dir, 'hooks.jsonl');
  return {
    agent,
    variant,
    name,
    file,
    transcript: (repo) => readFileSync(file, 'utf8').replaceAll('@REPO@', repo),
    payloads(repo, transcriptPath) {
      let text = '';
      try {
        text = readFileSync(hooks, 'utf8');
      } catch {
        return []; // the variant fired no hook
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.replaceAll('@REPO@', repo).replaceAll('@TRANSCRIPT@', transcriptPath));
    },
  };
}

/** The redactor of the default configuration without secretlint's preset (what ingest starts with). */
export const OWN_REDACTOR = new RowRedactor(createDetector({ patterns: [], allow: [], secretlint: false }, null));

/** A row context at `place`, its texts cleaned by OWN_REDACTOR. */
export const rowContextAt = (place: RowPlace): RowContext => ({ ...place, redact: OWN_REDACTOR });

/** Rows as the log holds them, split as ingest returns them. */
export interface Rows {
  actions: StoredAction[];
  events: EventRow[];
}

/** The rows of `events`, through the one mapper. */
export function rowsOf(events: AgentEvent[], ctx: RowContext): Rows {
  const out: Rows = { actions: [], events: [] };
  for (const ev of events) {
    const row = rowOfAgentEvent(ev, ctx);
    if ('action' in row) out.actions.push(row.action);
    else out.events.push(row.event);
  }
  return out;
}

/** The rows ingest makes of the fixture's hook payloads (the transcript read at its fixture path, as ingest reads it). */
export function hookRows(f: Fixture, repo: string, ctx: RowContext): Rows {
  const files = f.payloads(repo, f.file).map((text, i) => ({
    name: `a-${f.agent}-${String(i).padStart(3, '0')}.json`,
    agent: f.agent,
    buf: Buffer.from(text),
    mtimeMs: Date.UTC(2026, 10, 27, 9, 0, i),
  }));
  return rowsOfAgentPayloads(files, ctx);
}

/** A row without its time (the hooks' is the arrival, the transcript's the record's). */
export function timeless<T extends { ts: string | null }>(row: T): Omit<T, 'ts'> {
  const { ts: _ts, ...rest } = row;
  return rest;
}
