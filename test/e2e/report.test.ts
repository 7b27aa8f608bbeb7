// `report`, from the packed package in a fresh repository with real logged commits, opened in
// headless Chromium: no console message at all (no error, no CSP violation), the sessions and
// rows in the DOM (rows virtualized: only those in view exist), the first render marked, and a
// row carrying markup shown as text. A screenshot is kept as a test artifact in
// test-artifacts/report.png at the repository root (gitignored) for a person to look at.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, throwawayRepos } from '../helpers/repo.ts';
import { expectExit } from './__utils__/checks.ts';
import { openPage, requireChromium, screenshot } from './__utils__/chromium.ts';
import { type AppRepo, appRepo } from './__utils__/packed.ts';

const repos = throwawayRepos(test);
const ALLOW = { ALLOW_AUTOLFS: '1' };
const HOSTILE = `<script>document.title="pwned"</script><img src=x onerror="document.title='pwned'"> \u001b]0;t\u0007`;
const ARTIFACT = path.join(ROOT, 'test-artifacts', 'report.png');

/** Records rows through the installed package's API (one process, one batch). */
function record(app: AppRepo, sessionId: string, agent: string | null, rows: Array<[string, string, string[]]>): void {
  const script = path.join(repos.dir('codexlog-rows-'), 'rows.mjs');
  const batch = rows.map(([action, statement, files]) => ({
    sessionId,
    action,
    statement,
    metadata: agent ? { agent, model: `${agent}-model`, files } : { files },
  }));
  writeFileSync(
    script,
    `import { recordCodexActions } from ${JSON.stringify(path.join(app.pkgDir, 'node_modules', 'codexlog-hooks', 'dist', 'src', 'index.js'))};\n` +
      `await recordCodexActions(${JSON.stringify(batch)}, { cwd: ${JSON.stringify(app.dir)} });\n`,
  );
  expectExit(app.run(process.execPath, [script]), 0, 'recording rows');
}

function commit(app: AppRepo, file: string, subject: string): void {
  app.write(file, `${subject}\n`);
  app.git(['add', file]);
  expectExit(app.tryGit(['commit', '-q', '-m', subject], { env: ALLOW }), 0, subject);
}

test('report in headless Chromium: no console message, sessions and rows in the DOM, markup in a row shown as text', () => {
  requireChromium();
  const app = appRepo(repos);
  record(app, 'codex-e2e', 'codex', [
    ['prompt', 'build the app', []],
    ...Array.from({ length: 400 }, (_, i): [string, string, string[]] => ['tool.Read', `read part ${i} of src/app.ts`, ['src/app.ts']]),
  ]);
  commit(app, 'src/app.ts', 'feat: app');
  record(app, 'claude-e2e', 'claude', [['tool.Edit', HOSTILE, ['src/app.ts']]]);
  commit(app, 'src/util.ts', 'feat: util');
  record(app, 'plain-e2e', null, [['note', 'waiting for the next commit', []]]);

  const out = path.join(repos.dir('codexlog-report-'), 'report.html');
  const made = app.hooks(['report', '-o', out]);
  expectExit(made, 0, 'report');
  const rows = JSON.parse(app.hooks(['log', '--json']).stdout) as unknown[];
  assert.ok(rows.length >= 404, `${rows.length} rows`);
  assert.match(made.stdout, /^Report written to .*report\.html \(\d+ rows, 3 sessions, \d+ commits\)/);

  const page = openPage(repos, out);
  assert.equal(page.console, [], 'the page logged something (an error, a CSP violation)');
  // Marked once the first rows were in the DOM.
  assert.match(page.dom, /<html lang="en" data-rendered="\d+(\.\d+)?">/);
  // Every session is in the filters and on the timeline.
  for (const id of ['codex-e2e', 'claude-e2e', 'plain-e2e']) {
    assert.ok(page.dom.includes(`>${id}</option>`), `${id} in the session filter`);
  }
  assert.is([...page.dom.matchAll(/<rect [^>]*class="session"/g)].length, 3, 'a bar per session on the timeline');
  // The rows, newest first and virtualized: the visible ones exist, not all 400 and more.
  const shown = [...page.dom.matchAll(/<div class="row[^"]*"/g)].length;
  assert.ok(shown >= 10 && shown < 80, `${shown} row elements for ${rows.length} rows`);
  assert.match(
    page.dom,
    new RegExp(`<span id="count">${rows.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows</span>`),
  );
  assert.ok(page.dom.includes('<span class="st">waiting for the next commit</span>'), 'the newest row first');
  // The hostile row: its markup is text in a cell, its controls escaped; the page is not retitled.
  assert.ok(
    page.dom.includes(
      `<span class="st">&lt;script&gt;document.title="pwned"&lt;/script&gt;&lt;img src=x onerror="document.title='pwned'"&gt; \\x1b]0;t\\x07</span>`,
    ),
    'the hostile statement as text',
  );
  assert.match(page.dom, /<title>codexlog: [^<]+<\/title>/);
  assert.not.ok(page.dom.includes('pwned</title>'));
  assert.is([...page.dom.matchAll(/<script\b/g)].length, 2, 'only the data and the page script');
  assert.not.match(page.dom, /<img\b/);

  mkdirSync(path.dirname(ARTIFACT), { recursive: true });
  assert.equal(screenshot(repos, out, ARTIFACT), []);
  assert.ok(statSync(ARTIFACT).size > 10_000, 'a screenshot with something in it');
  assert.ok(readFileSync(ARTIFACT).subarray(1, 4).equals(Buffer.from('PNG')));
});

test('the console check sees a page that fails (so an empty list above means something)', () => {
  requireChromium();
  const file = path.join(repos.dir('codexlog-broken-'), 'broken.html');
  writeFileSync(file, '<!DOCTYPE html><html><body><script>null.x</script></body></html>');
  const page = openPage(repos, file);
  assert.is(page.console.length, 1);
  assert.match(page.console[0], /Uncaught TypeError/);
});

test.run();
