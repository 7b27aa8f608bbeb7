// Pure parsers of git's output. The I/O functions in this folder run git and hand the text here,
// so every format is tested as a table of cases (test/unit/git-parse.test.ts).

/** One staged change: git's status letter and the path (new path for renames). */
export interface StagedChange {
  status: string;
  path: string;
}

/** Splits NUL-terminated `-z` output into its fields (the empty tail after the last NUL dropped). */
export function splitZ(text: string): string[] {
  const parts = text.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `git diff --name-status --no-renames -z`: status, path, status, path, ... */
export function parseNameStatusZ(text: string): StagedChange[] {
  const parts = splitZ(text);
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) changes.push({ status: parts[i], path: parts[i + 1] });
  return changes;
}

/** `git config -z --get-regexp`: entries "key\nvalue" (or a bare "key" for a valueless boolean). */
export function parseConfigZ(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of splitZ(text)) {
    if (!entry) continue;
    const nl = entry.indexOf('\n');
    map.set(nl < 0 ? entry : entry.slice(0, nl), nl < 0 ? '' : entry.slice(nl + 1));
  }
  return map;
}

/** `git check-attr -z <attr>`: path, attribute, value triples; returns path → value. */
export function parseCheckAttrZ(text: string): Map<string, string> {
  const parts = splitZ(text);
  const map = new Map<string, string>();
  for (let i = 0; i + 2 < parts.length; i += 3) map.set(parts[i], parts[i + 2]);
  return map;
}

/**
 * `git cat-file --batch` output for the objects asked in `names` order: "<oid> <type> <size>\n<bytes>\n"
 * per object, or "<name> missing\n". Returns name → content (null when missing).
 */
export function parseCatFileBatch(out: Buffer, names: readonly string[]): Map<string, Buffer | null> {
  const objects = parseCatFileObjects(out, names);
  return new Map(names.map((n) => [n, objects.get(n)?.content ?? null]));
}

/** An object as `git cat-file --batch` shows it. */
export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/** `git cat-file --batch` output, each object with its oid and type (null when missing). */
export function parseCatFileObjects(out: Buffer, names: readonly string[]): Map<string, GitObject | null> {
  const map = new Map<string, GitObject | null>();
  let pos = 0;
  for (const name of names) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) throw new Error(`git cat-file --batch: output ended before ${name}`);
    const header = out.subarray(pos, nl).toString('utf8');
    pos = nl + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      map.set(name, null);
      continue;
    }
    const [oid, type, sizeText] = header.split(' ');
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size)) throw new Error(`git cat-file --batch: unexpected header "${header}"`);
    if (pos + size > out.length) throw new Error(`git cat-file --batch: output ended inside ${name}`);
    map.set(name, { oid, type, content: out.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return map;
}

/** A commit object's parents and subject (the first line of its message). */
export function parseCommitObject(content: Buffer): { parents: string[]; subject: string } {
  const text = content.toString('utf8');
  const cut = text.indexOf('\n\n');
  const headers = cut < 0 ? text : text.slice(0, cut);
  const message = cut < 0 ? '' : text.slice(cut + 2);
  const parents = headers
    .split('\n')
    .filter((l) => l.startsWith('parent '))
    .map((l) => l.slice(7).trim());
  return { parents, subject: message.split('\n')[0] ?? '' };
}

/** post-rewrite's stdin: "<old-sha> <new-sha> [extra]" per line. */
export function parseRewrites(stdin: string): Array<{ old: string; new: string }> {
  return stdin
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 2 && p[0])
    .map(([o, n]) => ({ old: o, new: n }));
}

/** `git log -1 --format=%H%n%P%n%s`: the commit, its parents and its subject. */
export function parseCommitHeader(text: string): { sha: string; parents: string[]; subject: string } {
  const [sha = '', parents = '', ...subject] = text.split('\n');
  return { sha, parents: parents ? parents.split(' ') : [], subject: subject.join('\n') };
}

/**
 * `git worktree list --porcelain`: the path of each work tree (entries are blank-line separated,
 * each starting `worktree <path>`); a bare repository's own entry has no work tree and is left out.
 */
export function parseWorktreeList(text: string): string[] {
  const out: string[] = [];
  for (const entry of text.split(/\n\s*\n/)) {
    const lines = entry.split('\n');
    const head = lines.find((l) => l.startsWith('worktree '));
    if (head && !lines.includes('bare')) out.push(head.slice('worktree '.length));
  }
  return out;
}

/** Whether git's stderr says the directory is not inside a repository (as opposed to git failing). */
export function isNotARepository(stderr: string): boolean {
  return /not a git repository/i.test(stderr);
}

// --- branch sync and history ------------------------------------------------------------------

/** What `git merge-tree --write-tree --name-only --no-messages -z` says: the tree, and the conflicted paths. */
export interface MergeTreeResult {
  tree: string;
  /** Each conflicted path once, in git's order (empty when the merge is clean). */
  conflicts: string[];
}

/** `git merge-tree --write-tree --name-only --no-messages -z A B`: "<tree>\0<path>\0<path>\0...". */
export function parseMergeTreeZ(text: string): MergeTreeResult {
  const [tree = '', ...paths] = splitZ(text);
  return { tree, conflicts: [...new Set(paths.filter(Boolean))] };
}

/** The branch `git ls-remote --symref <remote> HEAD` names ("ref: refs/heads/main\tHEAD"), or null. */
export function parseSymrefHead(text: string): string | null {
  const m = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(text);
  return m ? m[1] : null;
}

/** One path a commit changed against its first parent, as `git log --raw --no-abbrev -z` lists it. */
export interface RawChange {
  /** A, M, D, T... (renames are off: --no-renames). */
  status: string;
  /** The blob before and after (all zeros when the path did not exist on that side). */
  before: string;
  after: string;
  path: string;
}

/** One commit of `git log --first-parent --format=%x01%H %P --raw --no-abbrev --no-renames -z`. */
export interface RawCommit {
  sha: string;
  parents: string[];
  changes: RawChange[];
}

/** Parses that `git log` output: each commit starts with \x01, its raw entries follow (":modes blobs status\0path\0"). */
export function parseRawLogZ(text: string): RawCommit[] {
  const commits: RawCommit[] = [];
  for (const record of text.split('\x01')) {
    if (!record.trim()) continue;
    const fields = splitZ(record);
    const [sha = '', ...parents] = (fields[0] ?? '').trim().split(' ');
    const changes: RawChange[] = [];
    for (let i = 1; i + 1 < fields.length; i += 2) {
      // ":100644 100644 <before> <after> M"; the newline git puts before the first entry goes.
      const meta = fields[i].replace(/^\n/, '');
      const m = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(meta);
      if (!m) throw new Error(`git log --raw: unexpected entry "${meta}"`);
      changes.push({ status: m[3], before: m[1], after: m[2], path: fields[i + 1] });
    }
    commits.push({ sha, parents: parents.filter(Boolean), changes });
  }
  return commits;
}
