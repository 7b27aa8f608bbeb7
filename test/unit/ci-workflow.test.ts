// `install --ci github` (issue 11): the YAML emitter (every scalar reads back as written, through a
// strict reader of the subset), the workflow object (triggers, permissions, the fork guard, steps
// that never run a pull request's code), and its --ci flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCi } from '../../src/cli/commands/install.ts';
import { UsageError } from '../../src/errors.ts';
import { GITHUB_WORKFLOW, githubWorkflow, githubWorkflowText, SYNC_SCRIPT } from '../../src/install/ci.ts';
import { scalar, toYaml } from '../../src/install/yaml.ts';
import { thrown } from '../helpers/expect.ts';
import { parseYaml } from '../helpers/yaml.ts';

// The reader first, on YAML written by hand: it must agree with the spec, not with the emitter.
const readCases: Array<[string, string, unknown]> = [
  [
    'plain, quoted and numbers',
    'a: x y\nb: \'it\'\'s\'\nc: "say \\"hi\\""\nd: 20\ne: true\n',
    { a: 'x y', b: "it's", c: 'say "hi"', d: 20, e: true },
  ],
  ['nested mapping and sequences', 'a:\n  b:\n    - x1\n    - x2\n  c: []\n  d: {}\n', { a: { b: ['x1', 'x2'], c: [], d: {} } }],
  [
    'a sequence of mappings',
    'steps:\n  - uses: x\n    with:\n      k: v\n  - run: z\n',
    { steps: [{ uses: 'x', with: { k: 'v' } }, { run: 'z' }] },
  ],
  ['a literal block keeps one newline, |- none', 'a: |\n  one\n\n    two\nb: |-\n  three\n', { a: 'one\n\n  two\n', b: 'three' }],
  ['comments and a quoted on', "# top\n'on':\n  # inner\n  push: {}\n", { on: { push: {} } }],
];
for (const [name, text, expected] of readCases) test(`parseYaml reads ${name}`, () => assert.equal(parseYaml(text), expected));

const refused: Array<[string, string]> = [
  ['a tab', 'a:\n\tb: c\n'],
  ['a bare on key (a boolean to YAML 1.1)', 'on:\n  push: {}\n'],
  ['a bare yes value', 'a: yes\n'],
  ['a bare y value (YAML 1.1 reads it as true)', 'a: y\n'],
  ['a plain value with ": "', 'a: b: c\n'],
  ['a folded block', 'a: >\n  x\n'],
  ['a flow sequence', 'a: [x, y]\n'],
  ['a duplicate key', 'a: 1\na: 2\n'],
  ['bad indentation', 'a:\n  b: 1\n   c: 2\n'],
  ['an anchor', 'a: &x 1\n'],
];
for (const [name, text] of refused) {
  test(`parseYaml refuses ${name}`, () => {
    thrown(() => parseYaml(text));
  });
}

const scalars: Array<[string, string]> = [
  ['ubuntu-latest', 'ubuntu-latest'],
  ['actions/checkout@v4', 'actions/checkout@v4'],
  ['npm ci', 'npm ci'],
  ['on', "'on'"],
  ['yes', "'yes'"],
  ['null', "'null'"],
  ['20', "'20'"],
  ['1e3', "'1e3'"],
  ['0x1f', "'0x1f'"],
  ['', "''"],
  ['-x', "'-x'"],
  ['a: b', "'a: b'"],
  ['a #b', "'a #b'"],
  ['trailing ', "'trailing '"],
  [`\${{ github.token }}`, `'\${{ github.token }}'`],
  ["github.event_name != 'pull_request'", `"github.event_name != 'pull_request'"`],
  [`it's "quoted" \\ too`, `"it's \\"quoted\\" \\\\ too"`],
];
for (const [value, yaml] of scalars) {
  test(`scalar(${JSON.stringify(value)}) is ${yaml}, and reads back`, () => {
    assert.is(scalar(value), yaml);
    assert.equal(parseYaml(toYaml({ k: value })), { k: value });
  });
}

test('scalar refuses a newline and control characters; toYaml puts multi-line text in a literal block', () => {
  thrown(() => scalar('a\nb'));
  thrown(() => scalar('a\x1bb'));
  assert.is(toYaml({ run: 'one\ntwo\n' }), 'run: |\n  one\n  two\n');
  assert.is(toYaml({ run: 'one\n\ntwo' }), 'run: |-\n  one\n\n  two\n');
  assert.equal(parseYaml(toYaml({ s: [{ run: 'a\n  b\n' }, 'x'] })), { s: [{ run: 'a\n  b\n' }, 'x'] });
});

test('toYaml: comments first, then the mapping', () => {
  assert.is(toYaml({ a: { b: [1, true] } }, ['one', '']), '# one\n#\na:\n  b:\n    - 1\n    - true\n');
});

const wf = githubWorkflow({ base: 'main', pkgRel: '' });
// biome-ignore lint/suspicious/noExplicitAny: the workflow is free-form YAML; the tests read the fields they check.
const job = (wf.jobs as any).sync;

test('triggers: pushes to the base, pull requests into it opened, reopened or synchronized, and by hand', () => {
  assert.equal(wf.on, {
    push: { branches: ['main'] },
    pull_request: { types: ['opened', 'reopened', 'synchronize'], branches: ['main'] },
    workflow_dispatch: {},
  });
});

test('permissions: contents write and pull-requests read, nothing else', () => {
  assert.equal(wf.permissions, { contents: 'write', 'pull-requests': 'read' });
  assert.equal(Object.keys(job).sort(), ['env', 'if', 'runs-on', 'steps']);
});

test("a fork's pull request is skipped: the job runs for pushes, or for a pull request from this repository", () => {
  assert.is(job.if, "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository");
  assert.equal(job.env, { GIT_LFS_SKIP_SMUDGE: '1' });
});

test("steps: the base checked out (never the pull request), node, npm ci with hooks off, then sync-branch from the base's install", () => {
  const [checkout, node, install, sync] = job.steps;
  assert.is(job.steps.length, 4);
  assert.equal(checkout, {
    name: 'Check out main (the tool comes from there, never from a pull request)',
    uses: 'actions/checkout@v4',
    with: { ref: 'main', 'fetch-depth': 1, token: `\${{ secrets.CODEXLOG_SYNC_TOKEN || github.token }}` },
  });
  assert.equal(node, { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } });
  assert.equal(install, { name: 'Install codexlog-hooks as main locks it', shell: 'bash', env: { HUSKY: '0' }, run: 'npm ci' });
  assert.equal(sync.env, {
    EVENT: `\${{ github.event_name }}`,
    PR_BRANCH: `\${{ github.event.pull_request.head.ref }}`,
    BASE: 'main',
    GH_TOKEN: `\${{ github.token }}`,
    GH_REPO: `\${{ github.repository }}`,
    CODEXLOG: 'node_modules/codexlog-hooks/bin/codexlog-hooks.js',
  });
  assert.is(sync.shell, 'bash');
  assert.is(sync.run, SYNC_SCRIPT);
  // Event data reaches the script through env only: never `${{ }}` inside the script (injection).
  assert.not.match(SYNC_SCRIPT, /\$\{\{/);
  assert.ok(
    SYNC_SCRIPT.includes('gh pr list --repo "$GH_REPO" --state open --base "$BASE" --limit 1000 --json headRefName,isCrossRepository'),
  );
  assert.ok(SYNC_SCRIPT.includes('node "$CODEXLOG" sync-branch --base "$BASE" --push'));
  assert.ok(SYNC_SCRIPT.includes('if (!pr.isCrossRepository) console.log(pr.headRefName)'));
});

test('a package in a subfolder: npm ci runs there, and the tool is run from there', () => {
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const steps = (githubWorkflow({ base: 'trunk', pkgRel: 'tools/app' }).jobs as any).sync.steps;
  assert.is(steps[2]['working-directory'], 'tools/app');
  assert.is(steps[3].env.CODEXLOG, 'tools/app/node_modules/codexlog-hooks/bin/codexlog-hooks.js');
  assert.is(steps[3].env.BASE, 'trunk');
  assert.is(steps[0].with.ref, 'trunk');
});

test('the workflow file reads back as the object, after its comment header', () => {
  const text = githubWorkflowText({ base: 'main', pkgRel: '' });
  assert.equal(parseYaml(text), wf);
  assert.ok(text.startsWith('# codexlog-hooks: keeps pull requests mergeable'), text.slice(0, 80));
  assert.match(text, /^'on':$/m);
  assert.is(GITHUB_WORKFLOW, '.github/workflows/codexlog-sync.yml');
});

test('--ci: github, or a usage error naming the README for the others', () => {
  assert.is(parseCi(undefined), undefined);
  assert.is(parseCi('github'), 'github');
  const e = thrown(() => parseCi('gitlab'), UsageError);
  assert.is(e.message, '--ci gitlab: expected github (GitLab CI and merge queues: see the README).');
});

test.run();
