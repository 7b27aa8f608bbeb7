// Injected into the CommonJS hook bundle (scripts/bundle.mjs): what `import.meta.url` is in the
// ES modules it is built from.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
