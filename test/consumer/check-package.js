// Static checks of the packed library (the folder `package/` unpacked from the
// tarball): every package its JavaScript requires is declared as a peer (or
// dependency), every `exports` target is in the tarball, and no test file or
// fixture is. Exits non-zero naming what is wrong.
const { builtinModules } = require('node:module');
const { readFileSync, readdirSync, existsSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = process.argv[2];
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = new Set([...Object.keys(manifest.peerDependencies ?? {}), ...Object.keys(manifest.dependencies ?? {})]);
const builtins = new Set(builtinModules);
const problems = [];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

const all = [...files(root)].map((f) => relative(root, f));
for (const file of all.filter((f) => f.endsWith('.js'))) {
  const source = readFileSync(join(root, file), 'utf8');
  for (const [, specifier] of source.matchAll(/require\("([^".][^"]*)"\)/g)) {
    const name = packageName(specifier);
    if (builtins.has(specifier) || specifier.startsWith('node:')) continue;
    if (!declared.has(name)) problems.push(`${file} requires '${specifier}', which is not a peer dependency or dependency`);
  }
}
for (const [entry, target] of Object.entries(manifest.exports)) {
  const targets = typeof target === 'string' ? [target] : Object.values(target);
  for (const t of targets) if (!existsSync(join(root, t))) problems.push(`exports['${entry}'] points at ${t}, which is not in the tarball`);
}
for (const file of all) {
  if (/\.(int-)?spec\.|test-fixtures|testing-fixtures|\.ts$(?<!\.d\.ts)/.test(file)) problems.push(`the tarball ships ${file}`);
}

if (problems.length) {
  console.error(`check-package: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-package: ${all.length} files; every required package is a declared peer; exports resolve; no tests or fixtures`);
