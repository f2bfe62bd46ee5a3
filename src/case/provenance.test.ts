import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ACCOUNTS_CSV,
  CAPTURES_CSV,
  LOGINS_JSONL,
  MESSY_CALLS,
  PAYMENTS_CSV,
  tempDir,
  writeExport,
} from '../../test/fixtures.ts';
import { ingestExport, type IngestResult } from '../ingest/ingest.ts';
import { memoryEffects } from '../shared/effects.ts';
import { SYNTH_PRIVATE_KEY } from '../synth/provenance.ts';
import { synthTo } from '../synth/testkit.ts';
import {
  caseIsSynthetic,
  caseSyntheticMarks,
  checkMarks,
  digestExport,
  exportMarks,
  recordSynthetic,
  SYNTH_PUBLIC_KEY,
  SYNTHETIC_FILE,
} from './provenance.ts';
import { openCase } from './store.ts';

const root = tempDir('unspoof-provenance-');
let synth = '';
after(() => fs.rmSync(root, { recursive: true, force: true }));
before(async () => {
  const { out } = await synthTo(2000, 41);
  synth = path.join(root, 'synth');
  fs.renameSync(out, synth);
});

let copies = 0;
/** A copy of the synth's export with `edit` done to it. */
function variant(edit: (dir: string) => void = () => {}): string {
  const dir = path.join(root, `export-${++copies}`);
  fs.cpSync(synth, dir, { recursive: true });
  edit(dir);
  return dir;
}

function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'export.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m));
}

const dropFlag = (dir: string) => editManifest(dir, (m) => delete m.synthetic);
const dropProvenance = (dir: string) => editManifest(dir, (m) => delete m.provenance);
const dropSidecar = (dir: string) => fs.rmSync(path.join(dir, SYNTHETIC_FILE));

interface Ingested {
  result: IngestResult;
  synthetic: boolean;
  marks: string[];
}

async function ingest(exportDir: string, caseDir = path.join(root, `case-${++copies}`)) {
  const result = await ingestExport({ exportDir, caseDir }, memoryEffects());
  const store = await openCase(caseDir);
  try {
    const out: Ingested & { caseDir: string } = {
      result,
      synthetic: await caseIsSynthetic(store.conn),
      marks: await caseSyntheticMarks(store.conn),
      caseDir,
    };
    return out;
  } finally {
    store.close();
  }
}

/** A small export that looks seized: no manifest, no marks. */
const realLooking = () =>
  writeExport({
    'accounts.csv': ACCOUNTS_CSV,
    'calls.csv': MESSY_CALLS,
    'logins.jsonl': LOGINS_JSONL,
    'captures.csv': CAPTURES_CSV,
    'payments.csv': PAYMENTS_CSV,
  });

test("the synth's key is the one ingest checks with", () => {
  const x = crypto.createPublicKey(SYNTH_PRIVATE_KEY).export({ format: 'jwk' }).x;
  assert.equal(x, SYNTH_PUBLIC_KEY);
});

describe('a synthetic export ingested', () => {
  test('as written: synthetic by all three marks, verified; a real-looking export after it leaves it so', async () => {
    const r = await ingest(synth);
    assert.equal(r.synthetic, true);
    assert.deepEqual(r.marks, ['flag', 'provenance', 'sidecar', 'verified']);
    assert.deepEqual(r.result.synthetic, r.marks);
    assert.deepEqual(r.result.warnings, []);

    const real = await ingest(realLooking(), r.caseDir);
    assert.deepEqual(real.result.synthetic, []);
    assert.ok(real.result.loaded > 0);
    assert.equal(real.synthetic, true);
    assert.deepEqual(real.marks, r.marks);
  });

  for (const [what, edit, left, missing] of [
    ['"synthetic": true', dropFlag, ['provenance', 'sidecar'], /no "synthetic": true/],
    ["export.json's provenance", dropProvenance, ['flag', 'sidecar'], /no provenance/],
    [SYNTHETIC_FILE, dropSidecar, ['flag', 'provenance'], /there is no \.synthetic/],
  ] as const) {
    test(`without ${what}: still synthetic, and warned of`, async () => {
      const r = await ingest(variant(edit));
      assert.equal(r.synthetic, true);
      assert.deepEqual(r.marks, [...left, 'verified']);
      assert.equal(r.result.warnings.length, 1);
      assert.match(r.result.warnings[0]!, missing);
    });
  }

  test('with every mark removed: not synthetic, until the same files come again with their marks', async () => {
    const bare = await ingest(variant((d) => (dropFlag(d), dropProvenance(d), dropSidecar(d))));
    assert.equal(bare.synthetic, false);
    assert.deepEqual(bare.marks, []);
    assert.deepEqual(bare.result.synthetic, []);
    assert.deepEqual(bare.result.warnings, []);

    // Nothing loads (every file is in the case already), but the case is marked all the same.
    const again = await ingest(synth, bare.caseDir);
    assert.ok(again.result.files.every((f) => f.skipped === 'already ingested'));
    assert.equal(again.synthetic, true);
    assert.deepEqual(again.marks, ['flag', 'provenance', 'sidecar', 'verified']);
  });

  test('with a data file edited: still synthetic, the signature warned of', async () => {
    const r = await ingest(
      variant((d) => fs.appendFileSync(path.join(d, 'payments.csv'), 'p9,u000001,,,,,,\r\n')),
    );
    assert.equal(r.synthetic, true);
    assert.deepEqual(r.marks, ['flag', 'provenance', 'sidecar', 'unverified']);
    assert.equal(r.result.warnings.length, 1);
    // export.json and .synthetic carry the same signature: one warning names both.
    assert.match(
      r.result.warnings[0]!,
      /export\.json's provenance and \.synthetic does not verify \(payments\.csv changed since it was signed\); the case is marked synthetic all the same/,
    );
  });
});

describe('checkMarks', () => {
  const manifest = () =>
    JSON.parse(fs.readFileSync(path.join(synth, 'export.json'), 'utf8')) as {
      synthetic?: boolean;
      provenance?: Record<string, unknown>;
    };
  const digests = async (dir = synth) => new Map(Object.entries(await digestExport(dir)));

  test('a signature over other digests is not the synth’s', async () => {
    const m = manifest();
    const p = m.provenance!;
    const files = { ...(p.files as Record<string, string>), 'calls.csv': '0'.repeat(64) };
    const got = checkMarks(
      { marks: ['provenance'], signed: [{ where: 'x', block: { ...p, files } }] },
      await digests(),
    );
    assert.deepEqual(got.tokens, ['provenance', 'unverified']);
    assert.match(got.warnings[0]!, /the signature is not unspoof synth's over its files/);
    assert.match(got.warnings[0]!, /calls\.csv changed since it was signed/);
  });

  test('files missing or added are named', async () => {
    const d = await digests();
    d.delete('logins.jsonl');
    d.set('extra.csv', '1'.repeat(64));
    const got = checkMarks(
      { marks: ['provenance'], signed: [{ where: 'x', block: manifest().provenance }] },
      d,
    );
    assert.match(got.warnings[0]!, /logins\.jsonl missing; extra\.csv not signed/);
  });

  test(`an unreadable ${SYNTHETIC_FILE} or a provenance that is none still mark the export`, async () => {
    const dir = variant((d) => {
      fs.writeFileSync(path.join(d, SYNTHETIC_FILE), 'not json');
      dropFlag(d);
    });
    const found = exportMarks(dir, { provenance: null });
    assert.deepEqual(found.marks, ['provenance', 'sidecar']);
    const got = checkMarks(found, await digests(dir));
    assert.deepEqual(got.tokens, ['provenance', 'sidecar', 'unverified']);
    assert.equal(got.warnings.length, 3);
    assert.match(got.warnings[0]!, /export\.json's provenance does not verify \(not a provenance/);
    assert.match(got.warnings[1]!, /\.synthetic does not verify \(it cannot be read/);
    assert.match(got.warnings[2]!, /no "synthetic": true/);
  });

  test(`without export.json at all, ${SYNTHETIC_FILE} alone marks the export, verified`, async () => {
    const dir = variant((d) => fs.rmSync(path.join(d, 'export.json')));
    const found = exportMarks(dir, {});
    assert.deepEqual(found.marks, ['sidecar']);
    const got = checkMarks(found, await digests(dir));
    assert.deepEqual(got.tokens, ['sidecar', 'verified']);
    assert.match(got.warnings[0]!, /no "synthetic": true, export\.json has no provenance/);
  });

  test('"synthetic": true alone (no signature) marks the export with nothing to warn of', async () => {
    const dir = variant((d) => (dropProvenance(d), dropSidecar(d)));
    const got = checkMarks(exportMarks(dir, { synthetic: true }), await digests(dir));
    assert.deepEqual(got, { tokens: ['flag'], warnings: [] });
  });

  test('an export with no marks has nothing to check', async () => {
    assert.deepEqual(checkMarks({ marks: [], signed: [] }, await digests()), {
      tokens: [],
      warnings: [],
    });
  });
});

test('recordSynthetic adds marks to those recorded and never clears them', async () => {
  const store = await openCase(path.join(root, 'record'), { create: true });
  try {
    assert.equal(await caseIsSynthetic(store.conn), false);
    await recordSynthetic(store.conn, []);
    assert.equal(await caseIsSynthetic(store.conn), false);
    await recordSynthetic(store.conn, ['sidecar', 'unverified']);
    await recordSynthetic(store.conn, ['flag', 'verified']);
    await recordSynthetic(store.conn, []);
    assert.deepEqual(await caseSyntheticMarks(store.conn), [
      'flag',
      'sidecar',
      'verified',
      'unverified',
    ]);
    // Either key is enough.
    await store.conn.run(`DELETE FROM case_meta WHERE key = 'synthetic'`);
    assert.equal(await caseIsSynthetic(store.conn), true);
  } finally {
    store.close();
  }
});
