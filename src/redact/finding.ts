// What a detector reports: a span of the text, the rule that found it and the rule's priority
// (when spans overlap they merge, and the lower priority number names the merged span).

/** One match of one rule: `text.slice(start, end)` is the secret. */
export interface Finding {
  start: number;
  end: number;
  rule: string;
  priority: number;
}

/** The label a secret is replaced with. */
export function label(rule: string): string {
  return `[REDACTED:${rule}]`;
}

/** Whether a value is (or holds) one of our labels: redaction never redacts its own output. */
export function holdsLabel(value: string): boolean {
  return value.includes('[REDACTED:');
}
