// How long work reports how far it got (export, report; import and scan alike): the domain calls
// a Progress function and never prints; the CLI shows it on a terminal (src/cli/progress.ts).

/** `done` units of `total` (null when the total is unknown) are finished. */
export type Progress = (done: number, total: number | null) => void;

/** A Progress that shows nothing (the API, and output that is not a terminal). */
export const noProgress: Progress = () => {};
