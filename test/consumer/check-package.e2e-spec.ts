import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHECK = join(__dirname, 'check-package.js');

/** A fake unpacked tarball: package.json plus the given files. */
function fakePackage(manifest: object, files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'es-check-package-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function check(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [CHECK, root]);
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, output: e.stderr };
  }
}

// The consumer test's static checks must fail on a broken tarball, not only pass on a good one.
describe('test/consumer/check-package.js', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('passes a package whose requires are declared peers and whose exports exist', async () => {
    const root = fakePackage(
      { peerDependencies: { pg: '^8' }, exports: { '.': { default: './dist/index.js' } } },
      { 'dist/index.js': 'require("pg"); require("node:fs"); require("./other");' },
    );
    roots.push(root);
    expect(await check(root)).toMatchObject({ code: 0 });
  });

  it('fails naming an undeclared package, a missing exports target and a shipped test file', async () => {
    const root = fakePackage(
      { peerDependencies: {}, exports: { '.': { default: './dist/index.js' }, './testing': { default: './dist/testing/index.js' } } },
      { 'dist/index.js': 'require("pg");', 'dist/store/append.int-spec.js': '' },
    );
    roots.push(root);
    const result = await check(root);
    expect(result.code).toBe(1);
    expect(result.output).toContain("dist/index.js requires 'pg', which is not a peer dependency or dependency");
    expect(result.output).toContain("exports['./testing'] points at ./dist/testing/index.js, which is not in the tarball");
    expect(result.output).toContain('the tarball ships dist/store/append.int-spec.js');
  });
});
