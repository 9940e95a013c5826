// NestJS 12 ships as ES modules only. Node 20.19+ loads them from CommonJS
// (require(esm)), but Jest's module registry does so only on Node 24.9+, so
// under Jest those packages are compiled to CommonJS here. The
// `import.meta` uses they contain are rewritten to their CommonJS equivalents
// first (TypeScript leaves `import.meta` untouched when emitting CommonJS).
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

// Part of the cache key, so that a change to this file recompiles.
const SELF = readFileSync(__filename);

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
};

function toCommonJs(source) {
  return source
    .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
    .replace(/import\.meta\.dirname/g, '__dirname')
    .replace(/import\.meta\.filename/g, '__filename')
    .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/import\.meta\.resolve\(/g, 'require.resolve(');
}

module.exports = {
  process(source, filename) {
    const { outputText } = ts.transpileModule(toCommonJs(source), { compilerOptions, fileName: filename });
    return { code: outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha1').update(SELF).update(ts.version).update('\0').update(filename).update('\0').update(source).digest('hex');
  },
};
