// Reading and writing the small text files install shares with the user.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file's text, or null when it does not exist. */
export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Writes `text` to `file` if it differs; returns whether it did. */
export function writeIfChanged(file: string, text: string, mode?: number): boolean {
  if (readText(file) === text) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, mode === undefined ? undefined : { mode });
  return true;
}
