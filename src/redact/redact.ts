// Redaction of secrets before a row can reach a tracked file (issue #7 fills the rules in).
import type { EventRow } from '../rows.js';
import type { StoredAction } from '../store/uncommitted.js';

/** The action with secrets in its text replaced. */
export function redactAction(row: StoredAction): StoredAction {
  return row;
}

/** The event with secrets in its summary replaced. */
export function redactEvent(row: EventRow): EventRow {
  return row;
}
