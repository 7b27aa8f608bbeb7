// The files an apply_patch call touched, read from the patch text (Codex's patch format):
//   *** Begin Patch
//   *** Add File: <path>            (then + lines)
//   *** Update File: <path>         (optionally *** Move to: <path>, then @@ hunks)
//   *** Delete File: <path>
//   *** End Patch
// Only the header lines matter; hunks are skipped, so a patch of any size is read in one pass.

/** One file of a patch. */
export interface PatchedFile {
  op: 'add' | 'update' | 'delete';
  path: string;
  /** Update with `*** Move to:`: the new path. */
  movedTo: string | null;
}

const HEADER = /^\*\*\* (Add File|Update File|Delete File|Move to): (.+)$/;
const OPS = { 'Add File': 'add', 'Update File': 'update', 'Delete File': 'delete' } as const;

/** Whether `text` holds an apply_patch patch (as a tool input, or inside a shell command). */
export function isPatch(text: string): boolean {
  return text.includes('*** Begin Patch');
}

/** The files of every patch in `text`, in order; malformed lines are skipped. */
export function parsePatch(text: string): PatchedFile[] {
  const files: PatchedFile[] = [];
  let inside = false;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '*** Begin Patch') {
      inside = true;
      continue;
    }
    if (line === '*** End Patch') {
      inside = false;
      continue;
    }
    if (!inside || !line.startsWith('*** ')) continue;
    const m = HEADER.exec(line);
    if (!m) continue;
    const p = m[2].trim();
    if (!p) continue;
    if (m[1] === 'Move to') {
      const last = files[files.length - 1];
      if (last && last.op === 'update') last.movedTo = p;
      continue;
    }
    files.push({ op: OPS[m[1] as keyof typeof OPS], path: p, movedTo: null });
  }
  return files;
}
