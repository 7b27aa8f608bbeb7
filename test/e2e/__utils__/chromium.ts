// Headless Chromium (Debian's `chromium` package, GIT-FACTS.md): a page's DOM after its scripts
// ran, its console messages, and a screenshot. Each run gets a profile folder of its own.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import type { ThrowawayRepos } from '../../helpers/repo.ts';

/** What a page showed. */
export interface Page {
  /** The DOM as Chromium serialised it (--dump-dom). */
  dom: string;
  /** The page's console messages and uncaught errors (Chromium's INFO:CONSOLE lines). */
  console: string[];
}

/** Fails the test, saying how to install it, when the chromium binary is missing. */
export function requireChromium(): void {
  const r = spawnSync('chromium', ['--version'], { encoding: 'utf8' });
  assert.is(r.status, 0, 'headless Chromium is required: apt-get update && apt-get install -y chromium');
}

function run(repos: ThrowawayRepos, file: string, extra: string[]): { stdout: string; stderr: string } {
  const profile = repos.dir('codexlog-chromium-');
  const r = spawnSync(
    'chromium',
    [
      '--headless=new',
      '--no-sandbox', // root in a container: Chromium's sandbox needs user namespaces it does not get
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      '--virtual-time-budget=5000', // let the page's scripts and timers run before the dump
      '--enable-logging=stderr',
      '--v=0',
      ...extra,
      pathToFileURL(file).href,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 },
  );
  assert.is(r.status, 0, `chromium failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Opens `file` and returns its DOM and console messages. */
export function openPage(repos: ThrowawayRepos, file: string): Page {
  const r = run(repos, file, ['--dump-dom']);
  return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) };
}

/** Takes a screenshot of `file` into `png`; returns the console messages. */
export function screenshot(repos: ThrowawayRepos, file: string, png: string): string[] {
  const r = run(repos, file, [`--screenshot=${png}`, '--window-size=1400,1000']);
  return r.stderr.split('\n').filter((l) => l.includes(':CONSOLE'));
}
