// What .gitattributes and .gitignore say about the log databases: written by install, and (the
// attributes) by the pre-commit repair of missing tracking, which must not load all of install.
import { TEMP_PREFIX } from '../store/log-store.js';

/** The git config name of our merge driver (merge.<name>.driver), also named in .gitattributes. */
export const MERGE_DRIVER = 'codexlog';

/** What .gitattributes must cover: the two databases, and the folder of sealed segments. */
export interface TrackedPaths {
  /** The log and its session copy, relative to the top level. */
  dbs: readonly string[];
  /** The segments folder, relative to the top level. */
  segmentsDir: string;
}

const pattern = (p: string) => p.replace(/ /g, '[[:space:]]');

/**
 * The .gitattributes lines: both databases through LFS, merged by our driver; segments through LFS
 * and never merged (each name is one content, so two clones adding one never conflict).
 */
export function attributeLines(t: TrackedPaths): string {
  return [
    ...t.dbs.map((p) => `${pattern(p)} filter=lfs diff=lfs merge=${MERGE_DRIVER} -text`),
    `${pattern(t.segmentsDir)}/*.db filter=lfs diff=lfs merge=binary -text`,
  ].join('\n');
}

/** A path the segments pattern covers, to ask git which filter a segment would get. */
export function segmentProbe(segmentsDir: string): string {
  return `${segmentsDir}/segment.db`;
}

/** The .gitignore lines: SQLite's side files and finalize's temp files. */
export const IGNORE_LINES = ['*.db-wal', '*.db-shm', '*.db-journal', `${TEMP_PREFIX}*.tmp`].join('\n');
