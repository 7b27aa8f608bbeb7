#!/usr/bin/env node
// `npm run bench`: measures codexlog-hooks against baselines timed in the same run.
//
// The machine is shared and noisy, so no figure stands alone: every section times a baseline and
// a subject, interleaved round by round, and reports medians and the subject/baseline ratio.
// Nothing here asserts a time; it measures and prints. All work happens in temp dirs.
//
//   node scripts/bench/index.mjs [--only <section>[,<section>]] [--quick]
//
// --quick runs fewer rounds and smaller sizes: a smoke test of the script, not figures to quote.
// A section is a module here exporting `describe` and `run({ quick })` → { rows, json }.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { cleanup, progress } from './harness.mjs';

/** Every section, in the order they run. */
const SECTIONS = ['record', 'commit', 'agent', 'redact', 'history', 'merge', 'rebase', 'import', 'read'];

const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' } } });
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : SECTIONS;
const unknown = chosen.filter((s) => !SECTIONS.includes(s));
if (unknown.length) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Sections: ${SECTIONS.join(', ')}.`);
  process.exit(2);
}
const meta = {
  node: process.version,
  cpus: os.cpus().length,
  platform: `${process.platform}-${process.arch}`,
  quick: Boolean(values.quick),
  when: new Date().toISOString(),
};
const rows = [['section', 'what', 'baseline', 'subject', 'ratio']];
const results = {};
try {
  for (const name of chosen) {
    const section = await import(`./${name}.mjs`);
    progress(`section ${name}: ${section.describe}`);
    const t0 = Date.now();
    const out = await section.run({ quick: Boolean(values.quick) });
    progress(`section ${name} done in ${Math.round((Date.now() - t0) / 1000)} s`);
    rows.push(...out.rows);
    results[name] = out.json;
  }
} finally {
  cleanup();
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
for (const r of rows)
  console.log(
    r
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
console.log(`BENCH_JSON ${JSON.stringify({ meta, sections: results })}`);
