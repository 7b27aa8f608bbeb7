// Team workflows: clones of a file:// bare remote, each with codexlog-hooks installed from this
// checkout (node_modules/codexlog-hooks links here), the LFS filters set up, and hooks live.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, type TestRepo, type ThrowawayRepos } from './repo.js';

/** The environment a team member commits with: the clone's ALLOW_AUTOLFS opt-in is on. */
export const TEAM_ENV = { ALLOW_AUTOLFS: '1' };

/** Makes `repo` a package that depends on codexlog-hooks (linked to this checkout). */
export function linkPackage(repo: TestRepo): void {
  mkdirSync(path.join(repo.dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, path.join(repo.dir, 'node_modules', 'codexlog-hooks'), 'dir');
}

/** Runs `codexlog-hooks install` and fails loudly if it does not succeed. */
export function install(repo: TestRepo): void {
  const r = repo.cli(['install'], { env: TEAM_ENV });
  if (r.status !== 0) throw new Error(`install failed (${r.status}): ${r.stderr}`);
}

/**
 * A bare remote plus a first clone that has installed the tool and pushed an initial commit; both
 * are `repos`' to remove.
 */
export function makeTeam(repos: ThrowawayRepos): { remote: string; first: TestRepo } {
  const bare = repos.repo({ bare: true, dir: repos.dir('codexlog-remote-') });
  const first = repos.repo();
  writeFileSync(path.join(first.dir, 'package.json'), `${JSON.stringify({ name: 'team-app', private: true }, null, 2)}\n`);
  writeFileSync(path.join(first.dir, '.gitignore'), 'node_modules/\n');
  linkPackage(first);
  install(first);
  first.write('README.md', '# team app\n');
  first.git(['add', '-A']);
  first.git(['commit', '-q', '-m', 'initial'], { env: TEAM_ENV });
  const remote = `file://${bare.dir}`;
  first.git(['remote', 'add', 'origin', remote]);
  first.git(['push', '-q', '-u', 'origin', 'main'], { env: TEAM_ENV });
  return { remote, first };
}

/**
 * A teammate's clone (`repos`' to remove): clone, link the package, install (filters, hooks,
 * driver), pull LFS objects.
 */
export function cloneTeam(repos: ThrowawayRepos, remote: string): TestRepo {
  // git clones into the existing empty folder, so nothing is left around it.
  const repo = repos.repo({ clone: remote, dir: repos.dir('codexlog-clone-') });
  linkPackage(repo);
  install(repo);
  repo.git(['lfs', 'pull']);
  return repo;
}

/** Records one action through the CLI and commits a change, as an agent would. */
export function agentCommit(repo: TestRepo, label: string, file = `${label}.txt`): void {
  const r = repo.cli(['record', 'edit', `${label} edited ${file}`], { env: TEAM_ENV });
  if (r.status !== 0) throw new Error(`record failed: ${r.stderr}`);
  repo.write(file, `${label}\n`);
  repo.git(['add', file]);
  repo.git(['commit', '-q', '-m', `${label}: change ${file}`], { env: TEAM_ENV });
}
