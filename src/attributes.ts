// What .gitattributes says about the log databases: written by install, and by the pre-commit
// repair of missing tracking (kept apart from install.ts, which the hook path need not load).

/** The git config name of our merge driver (merge.<name>.driver), also named in .gitattributes. */
export const MERGE_DRIVER = 'codexlog';

/** The .gitattributes lines: both databases through LFS, merged by our driver. */
export function attributeLines(paths: readonly string[]): string {
  return paths.map((p) => `${p.replace(/ /g, '[[:space:]]')} filter=lfs diff=lfs merge=${MERGE_DRIVER} -text`).join('\n');
}
