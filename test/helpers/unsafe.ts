// What no reader may print raw: the characters a terminal acts on (C0, DEL, C1) and those that
// reorder or break a line (bidirectional controls, Unicode line and paragraph separators).

/** Any of them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
export const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Any of them but the newline that ends a line of output. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
export const UNSAFE_IN_OUTPUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
