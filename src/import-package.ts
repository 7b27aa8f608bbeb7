// import() of a package this code does not bundle (secretlint's rule preset, cosmiconfig). The git
// hooks' entry (bin/codexlog-hook.cjs) runs its bundle from V8's code cache, and node 20 forgets a
// cached script's own import() callback ("A dynamic import callback was not specified"): the entry
// lends its import() instead, which resolves packages from the same node_modules.

/** Where the entry puts its import() (a global symbol, so bundled copies of this module share it). */
export const LENT_IMPORT = Symbol.for('codexlog-hooks.import');

/** Imports `specifier` with the entry's import() when it lent one, else with this module's own. */
export function importPackage<T>(specifier: string): Promise<T> {
  const lent = (globalThis as Record<symbol, unknown>)[LENT_IMPORT] as ((s: string) => Promise<T>) | undefined;
  return lent ? lent(specifier) : import(specifier);
}
