#!/usr/bin/env node
// The stable entry of what git runs (`codexlog-hook.cjs hook <name>`, `… merge-driver %O %A %B %P`),
// in CommonJS: node starts it a few milliseconds sooner than the ES module entry. The runner in
// the git dir runs it.
//
// Parsing and compiling the bundle is most of what loading it costs, at every commit: it is
// compiled with V8's code cache, kept beside it in a file named by a hash of the bundle and of this
// node (V8 checks its own version and flags too, and rejects a cache that does not fit). Where the
// cache cannot be written (a read-only node_modules) it is compiled as usual.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.join(__dirname, '..', 'dist', 'codexlog-hook.cjs');
const CACHE = /^\.codexlog-hook-[0-9a-f]{16}\.v8cache$/;

/** Writes the cache once the run is over (so it holds what the run compiled), dropping stale ones. */
function saveCache(script, file) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
    for (const name of fs.readdirSync(path.dirname(file)))
      if (CACHE.test(name) && name !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), name), { force: true });
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {}
  }
}

function loadWithCache() {
  const Module = require('node:module');
  const source = fs.readFileSync(bundle, 'utf8');
  const hash = require('node:crypto').createHash('sha256').update(`${process.version} ${process.arch}\n`).update(source);
  const cacheFile = path.join(path.dirname(bundle), `.codexlog-hook-${hash.digest('hex').slice(0, 16)}.v8cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // the first run of this bundle on this node
  }
  // Node 20 loses a cached script's import() callback: the bundle imports packages with this one.
  globalThis[Symbol.for('codexlog-hooks.import')] = (specifier) => import(specifier);
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCache(script, cacheFile));
  // The bundle runs as the module `require(bundle)` would have made.
  const m = new Module(bundle, module);
  m.filename = bundle;
  m.paths = Module._nodeModulePaths(path.dirname(bundle));
  const req = (id) => m.require(id);
  req.resolve = (request, options) => Module._resolveFilename(request, m, false, options);
  req.main = require.main;
  req.cache = Module._cache;
  script.runInThisContext()(m.exports, req, m, bundle, path.dirname(bundle));
}

loadWithCache();
