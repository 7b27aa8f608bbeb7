// `install --ci github`: a GitHub Actions workflow that runs `sync-branch` for pull requests, so
// that the server's merge button finds nothing left to merge in the log databases. It is written
// from a JS object (table-tested) by a tiny emitter; install records what it wrote, and uninstall
// removes it only while it is unchanged.
import { createHash } from 'node:crypto';
import { readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CodexlogError } from '../errors.js';
import { messages } from '../messages.js';
import { SYNC_REFUSED_EXIT } from '../sync-branch.js';
import { readText, writeIfChanged } from './files.js';
import { toYaml, type YamlValue } from './yaml.js';

/** The CI systems install can write a workflow for. */
export const CI_SYSTEMS = ['github'] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

/** Where the GitHub workflow goes, relative to the top level. */
export const GITHUB_WORKFLOW = '.github/workflows/codexlog-sync.yml';

/** The secret that, when set, pushes as a GitHub App or a person instead of GITHUB_TOKEN (whose pushes start no workflow). */
export const TOKEN_SECRET = 'CODEXLOG_SYNC_TOKEN';

/**
 * The step that syncs: which branches (the pull request's own, or every open same-repository pull
 * request into the base when the base moved), then for each: fetch it, check it out (node_modules,
 * untracked, stays), run the default branch's codexlog-hooks on it. A branch that needs a person
 * (exit 3) is a warning; any other failure fails the job once every branch had its turn.
 */
export const SYNC_SCRIPT = `# The branches to sync: this pull request's, or every open same-repository pull request into $BASE.
if [ "$EVENT" = pull_request ]; then
  branches=$PR_BRANCH
else
  branches=$(gh pr list --repo "$GH_REPO" --state open --base "$BASE" --limit 1000 --json headRefName,isCrossRepository |
    node -e 'for (const pr of JSON.parse(require("fs").readFileSync(0, "utf8"))) if (!pr.isCrossRepository) console.log(pr.headRefName)')
fi
status=0
while IFS= read -r branch <&3; do
  [ -n "$branch" ] || continue
  echo "::group::$branch"
  code=0
  { git fetch --no-tags --depth=1 origin "+refs/heads/$branch:refs/remotes/origin/$branch" &&
    git checkout --quiet -B "$branch" "refs/remotes/origin/$branch" &&
    node "$CODEXLOG" sync-branch --base "$BASE" --push; } || code=$?
  echo "::endgroup::"
  if [ "$code" = ${SYNC_REFUSED_EXIT} ]; then
    echo "::warning::$branch conflicts with $BASE outside the log: it needs a person (see the step's log)."
  elif [ "$code" != 0 ]; then
    echo "::error::sync-branch failed on $branch (exit $code)."
    status=1
  fi
done 3<<<"$branches"
exit "$status"
`;

/** The workflow, as an object: triggers, minimal permissions, and steps that never run a pull request's code. */
export function githubWorkflow(o: { base: string; pkgRel: string }): { [key: string]: YamlValue } {
  const pkg = o.pkgRel ? `${o.pkgRel}/` : '';
  return {
    name: 'codexlog sync',
    on: {
      push: { branches: [o.base] },
      pull_request: { types: ['opened', 'reopened', 'synchronize'], branches: [o.base] },
      workflow_dispatch: {},
    },
    // Nothing else: write to push the merge, read to list pull requests.
    permissions: { contents: 'write', 'pull-requests': 'read' },
    jobs: {
      sync: {
        // A fork's pull request never gets here: its branch is not ours to push, and its code is not ours to run.
        if: "github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository",
        'runs-on': 'ubuntu-latest',
        env: { GIT_LFS_SKIP_SMUDGE: '1' },
        steps: [
          {
            name: `Check out ${o.base} (the tool comes from there, never from a pull request)`,
            uses: 'actions/checkout@v4',
            with: { ref: o.base, 'fetch-depth': 1, token: `\${{ secrets.${TOKEN_SECRET} || github.token }}` },
          },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
          {
            name: `Install codexlog-hooks as ${o.base} locks it`,
            ...(o.pkgRel ? { 'working-directory': o.pkgRel } : {}),
            shell: 'bash',
            // HUSKY=0: no hooks in this checkout (prepare does nothing).
            env: { HUSKY: '0' },
            run: 'npm ci',
          },
          {
            name: `Merge ${o.base} into the pull request branches where only the log conflicts`,
            shell: 'bash',
            env: {
              EVENT: `\${{ github.event_name }}`,
              PR_BRANCH: `\${{ github.event.pull_request.head.ref }}`,
              BASE: o.base,
              GH_TOKEN: `\${{ github.token }}`,
              GH_REPO: `\${{ github.repository }}`,
              CODEXLOG: `${pkg}node_modules/codexlog-hooks/bin/codexlog-hooks.js`,
            },
            run: SYNC_SCRIPT,
          },
        ],
      },
    },
  };
}

/** The workflow's text. */
export function githubWorkflowText(o: { base: string; pkgRel: string }): string {
  return toYaml(githubWorkflow(o), [
    'codexlog-hooks: keeps pull requests mergeable on the server, where the merge driver of the log does not run.',
    `Written by \`codexlog-hooks install --ci github\`; \`codexlog-hooks uninstall\` removes it while it is unchanged.`,
    `Pushes by GITHUB_TOKEN start no workflow: set the secret ${TOKEN_SECRET} (a GitHub App or fine-grained token`,
    'with contents: write) for CI to run on the sync commits too. See the README.',
  ]);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What install will write for a CI system. */
export interface CiPlan {
  rel: string;
  text: string;
  base: string;
}

/**
 * The workflow install will write; throws (before install changes anything) when a file of that
 * name exists that install did not write, or that was changed since.
 */
export function planCiWorkflow(top: string, o: { base: string; pkgRel: string }, recorded: Record<string, string> = {}): CiPlan {
  const rel = GITHUB_WORKFLOW;
  const text = githubWorkflowText(o);
  const existing = readText(path.join(top, rel));
  if (existing !== null && existing !== text && sha256(existing) !== recorded[rel]) throw new CodexlogError(messages.ciFileForeign(rel));
  return { rel, text, base: o.base };
}

/** Writes the planned workflow; returns a change line (or null) and the record for the manifest. */
export function writeCiWorkflow(top: string, plan: CiPlan): { change: string | null; record: [string, string] } {
  const changed = writeIfChanged(path.join(top, plan.rel), plan.text);
  return { change: changed ? messages.ciWritten(plan.rel, plan.base) : null, record: [plan.rel, sha256(plan.text)] };
}

/** Removes the CI files install wrote and nobody changed since (and the folders left empty); reports the others. */
export function removeCiFiles(top: string, recorded: Record<string, string> = {}): { removed: string[]; kept: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const [rel, hash] of Object.entries(recorded)) {
    const file = path.join(top, rel);
    const text = readText(file);
    if (text === null) continue;
    if (sha256(text) !== hash) {
      kept.push(rel);
      continue;
    }
    rmSync(file);
    removed.push(rel);
    // .github/workflows, then .github, when nothing else is in them.
    for (let dir = path.dirname(file); dir !== top && dir.startsWith(top); dir = path.dirname(dir)) {
      try {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }
  return { removed, kept };
}
