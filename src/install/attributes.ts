// What .gitattributes and .gitignore say about the log databases: written by install, and (the
// attributes) by the pre-commit repair of missing tracking, which must not load all of install.
import { TEMP_PREFIX } from '../store/log-store.js';

/** The git config name of our merge driver (merge.<name>.driver), also named in .gitattributes. */
export const MERGE_DRIVER = 'codexlog';

/** The .gitattributes lines: both databases through LFS, merged by our driver. */
export function attributeLines(paths: readonly string[]): string {
  return paths.map((p) => `${p.replace(/ /g, '[[:space:]]')} filter=lfs diff=lfs merge=${MERGE_DRIVER} -text`).join('\n');
}

/** The .gitignore lines: SQLite's side files and finalize's temp files. */
export const IGNORE_LINES = ['*.db-wal', '*.db-shm', '*.db-journal', `${TEMP_PREFIX}*.tmp`].join('\n');
