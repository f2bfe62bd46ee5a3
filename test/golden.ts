/**
 * Golden files: `got` must be byte for byte test/golden/<name>. With UPDATE_GOLDEN=1 the file is
 * written from `got` instead (then read the diff before committing it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';

const GOLDEN = new URL('golden/', import.meta.url);

export function golden(name: string, got: string): void {
  const file = new URL(name, GOLDEN);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(new URL('.', file), { recursive: true });
    fs.writeFileSync(file, got);
  }
  assert.equal(got, fs.readFileSync(file, 'utf8'), `differs from test/golden/${name}`);
}
