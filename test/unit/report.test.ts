// The report file, built from a view in memory: one document whose only scripts are its data and
// its own code (allowed by hash in the Content-Security-Policy, nothing from any network), whose
// data no row can break out of, and whose text is escaped.
import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildReport, REPORT_TEXT_CAP } from '../../src/read/report/build.ts';
import { extent, type ReportData } from '../../src/read/report/client.ts';
import { CSP, DATA_ID, reportHead, reportTail } from '../../src/read/report/template.ts';
import { LogView } from '../../src/store/view.ts';

const HOSTILE = '</script><script>document.title="pwned"</script><!-- \u001b]0;t\u0007 \u009b2J \u202eexe';

async function build(actions: Parameters<LogView['setPending']>[0], since: string | null = null): Promise<string> {
  const view = LogView.open(':memory:');
  try {
    view.setPending(actions, [
      { uid: 'e1', session_id: 's1', event: 'start', summary: '{"agent":"codex","model":"gpt-5"}', ts: '2026-01-01T00:00:00Z' },
    ]);
    const chunks: string[] = [];
    await buildReport(
      { view, committedOnly: false },
      { write: (c) => void chunks.push(c) },
      { title: 'my <repo>', since, generated: '2026-01-02T00:00:00.000Z' },
    );
    return chunks.join('');
  } finally {
    view.close();
  }
}

const row = (uid: string, ts: string, over: Record<string, string | null> = {}) => ({
  uid,
  session_id: 's1',
  ts,
  action: 'tool.Bash',
  statement: 'npm test',
  metadata: '{"agent":"codex","files":["a.ts"]}',
  ...over,
});

/** The data element's JSON, and every <script> element of the page. */
function parts(html: string): { data: ReportData; scripts: string[] } {
  const open = `<script type="application/json" id="${DATA_ID}">`;
  const start = html.indexOf(open) + open.length;
  const end = html.indexOf('</script>', start);
  return {
    data: JSON.parse(html.slice(start, end)) as ReportData,
    scripts: [...html.matchAll(/<script\b/g)].map((m) => html.slice(m.index, m.index + 60)),
  };
}

test('the page: exactly two scripts (the data, then the page code), the CSP naming each inline style and script by hash', async () => {
  const html = await build([row('u1', '2026-01-01T00:00:01Z', { statement: HOSTILE })]);
  assert.is(parts(html).scripts.length, 2);
  const code = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] as string;
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] as string;
  const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
  assert.ok(CSP.includes(`script-src ${hash(code)};`), CSP);
  assert.ok(CSP.includes(`style-src ${hash(style)};`), CSP);
  assert.ok(CSP.startsWith("default-src 'none';"), CSP);
  // No URL but SVG's namespace name (an identifier, never fetched).
  assert.not.match(html.replace(/["']http:\/\/www\.w3\.org\/2000\/svg["']/g, ''), /https?:|\/\/[a-z]/i);
  assert.ok(html.startsWith(reportHead('my <repo>')));
  assert.ok(html.endsWith(reportTail()));
  assert.ok(html.includes('<title>codexlog: my &#60;repo&#62;</title>'));
});

test('the data: no row can end the data element; text escaped for display; it parses back to every row', async () => {
  const html = await build([
    row('u1', '2026-01-01T00:00:01Z', { statement: HOSTILE, session_id: 's\u001b[31m' }),
    row('u2', '2026-01-01T00:00:02Z', { metadata: null, action: 'git.commit', session_id: null }),
    row('u3', '2026-01-01T00:00:03Z', { statement: 'x'.repeat(REPORT_TEXT_CAP + 10) }),
  ]);
  const { data, scripts } = parts(html);
  assert.is(scripts.length, 2);
  assert.is(data.rows.length, 3);
  assert.is(data.meta.rows, 3);
  // The hostile statement comes back with its markup as text and its controls escaped.
  assert.is(data.rows[0][4], '</script><script>document.title="pwned"</script><!-- \\x1b]0;t\\x07 \\x9b2J \\u202eexe');
  assert.is(data.sessionIds[data.rows[0][1]], 's\\x1b[31m');
  assert.equal(data.rows[1].slice(1, 4), [-1, data.actionNames.indexOf('git.commit'), -1]);
  assert.is(data.rows[2][4], `${'x'.repeat(REPORT_TEXT_CAP)}…`);
  assert.is(data.agents[data.rows[0][3]], 'codex');
  assert.equal(data.rows[0][0], Date.parse('2026-01-01T00:00:01Z'));
  assert.equal(
    data.sessions.map((s) => [data.sessionIds[s.s], s.agent, s.models, s.actions, s.files]),
    [
      ['s1', 'codex', ['gpt-5'], 1, 1],
      ['s\\x1b[31m', 'codex', [], 1, 1],
    ],
  );
});

test('--since keeps the rows at or after it', async () => {
  const html = await build([row('u1', '2026-01-01T00:00:01Z'), row('u2', '2026-01-03T00:00:00Z')], '2026-01-02T00:00:00.000Z');
  assert.equal(
    parts(html).data.rows.map((r) => r[0]),
    [Date.parse('2026-01-03T00:00:00Z')],
  );
});

const extents: Array<[string, Iterable<number>, [number, number] | null]> = [
  ['none', [], null],
  ['one', [5], [5, 5]],
  ['unordered, negatives', [3, -2, 9, 0], [-2, 9]],
  [
    'a Map of days (keys)',
    new Map([
      [20000, 1],
      [19990, 2],
    ]).keys(),
    [19990, 20000],
  ],
  [
    '300k values, where Math.min(...values) overflows the stack',
    Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000),
    [0, 299_999],
  ],
];
for (const [name, values, expected] of extents) {
  test(`extent: ${name}`, () => {
    assert.equal(extent(values), expected);
  });
}

test('the page code is one self-contained function: no import, no `</script`', () => {
  const code = /<script>([\s\S]*?)<\/script>/.exec(reportTail())?.[1] as string;
  assert.ok(code.includes('(function reportClient('), code.slice(0, 80));
  // Its helper goes in as the argument; no spread into Math.min or Math.max (a stack overflow past ~100k values).
  assert.ok(/\}\)\(function extent\d*\(/.test(code), code.slice(-400));
  assert.not.match(code, /Math\.(min|max)\(\.\.\./);
  assert.not.match(code, /\bimport\b|\brequire\(/);
  // The source of the page must parse as a script of its own.
  new Function(code);
});

test.run();
