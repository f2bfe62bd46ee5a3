/**
 * The rooms' import rules (.dependency-cruiser.cjs, run by `npm run static`) catch what they are
 * for: an import cycle and an import upwards across rooms, in a small tree made for the test;
 * and the project itself has none.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, ...dirs: string[]) {
  const r = spawnSync(BIN, [...dirs, '--config', CONFIG, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the import rules refuse a cycle and an upward import', () => {
  const dir = tempDir('unspoof-deps-');
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write(
    'tsconfig.json',
    '{"compilerOptions":{"allowImportingTsExtensions":true,"noEmit":true,"module":"nodenext"}}',
  );
  // shared/ is the lowest layer: it may not import the console.
  write('src/shared/a.ts', "import { b } from '../console/b.ts';\nexport const a = b;\n");
  write('src/console/b.ts', 'export const b = 1;\n');
  // A cycle inside one room.
  write('src/outreach/c.ts', "import { d } from './d.ts';\nexport const c = d;\n");
  write('src/outreach/d.ts', "import { c } from './c.ts';\nexport const d = 1;\nvoid c;\n");
  // Downwards is allowed.
  write('src/console/e.ts', "import { a } from '../shared/a.ts';\nexport const e = a;\n");
  const r = cruise(dir, 'src');
  assert.notEqual(r.status, 0, r.out);
  assert.match(r.out, /no-upward-from-shared\S*: src\/shared\/a\.ts → src\/console\/b\.ts/);
  assert.match(r.out, /no-circular: src\/outreach\/c\.ts/);
  assert.doesNotMatch(r.out, /src\/console\/e\.ts →/);
});

test('the project has no import cycle and no upward import', () => {
  const r = cruise(ROOT, 'src', 'bin', 'bench', 'test');
  assert.equal(r.status, 0, r.out);
});
