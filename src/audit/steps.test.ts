/**
 * Ingest and analysis are audited: who ingested which files (their SHA-256 as on disk) with
 * the rows loaded and quarantined, who ran the analysis with which settings and the digests of
 * what it decided — and each is checkpointed, so that a victim list can be traced back to the
 * exact files and rules that made it.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/fixtures.ts';
import { analyzeCommand } from '../analyze/command.ts';
import { outputDigests } from '../analyze/digests.ts';
import { ingestCommand } from '../ingest/command.ts';
import { openOps } from '../ops/open.ts';
import { memoryEffects } from '../shared/effects.ts';
import { synthCommand } from '../synth/command.ts';
import type { Effects } from '../shared/effects.ts';
import { listAudit } from './audit.ts';
import {
  checkpointCommand,
  consistencyCommand,
  exportCommand,
  keyCommand,
  proveCommand,
  verifyCommand,
} from './tlog-command.ts';
import { latestCheckpoint } from './tree.ts';

test('an ingest and an analysis are audited, and the log handed out and checked with the commands', async () => {
  const dir = tempDir('unspoof-steps-');
  const exportDir = path.join(dir, 'export');
  const caseDir = path.join(dir, 'case');
  const fx = memoryEffects(new Date('2026-04-01T10:00:00Z'));
  await synthCommand({ out: exportDir, calls: '2000', seed: '5', callsFormat: 'asterisk' }, fx);
  await ingestCommand(exportDir, { case: caseDir, maxQuarantine: '1' }, fx);
  await analyzeCommand({ case: caseDir }, fx);
  const db = await openOps(caseDir);
  try {
    const rows = await listAudit(db);
    const ingest = rows.find((r) => r.action === 'ingest');
    const analysis = rows.find((r) => r.action === 'analysis');
    assert.ok(ingest && analysis, rows.map((r) => r.action).join());
    assert.match(ingest.actor, /^cli:/);
    const files = ingest.detail.files as Array<Record<string, unknown>>;
    const master = files.find((f) => f.file === 'Master.csv');
    assert.ok(master, 'the calls file is named');
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(exportDir, 'Master.csv')))
      .digest('hex');
    assert.equal(master.sha256, sha, "the file's SHA-256 as on disk");
    assert.equal(
      Number(master.loaded) + Number(master.quarantined),
      Number(master.rows),
      'every row loaded or quarantined',
    );
    assert.ok(Number(master.quarantined) > 0, 'the synth writes bad rows');
    const settings = analysis.detail.settings as Record<string, unknown>;
    assert.equal(typeof settings.likely_seconds, 'number');
    assert.deepEqual(analysis.detail.outputs, await outputDigests(caseDir));
    const victims = (analysis.detail.outputs as Record<string, { rows: number; sha256: string }>)
      .victims;
    assert.ok(victims && victims.rows > 0 && /^[0-9a-f]{64}$/.test(victims.sha256));
    const cp = await latestCheckpoint(db);
    assert.equal(cp?.reason, 'analysis');
    assert.equal(cp?.size, analysis.id, 'the checkpoint covers the analysis entry');
  } finally {
    await db.close();
  }

  // The commands a unit runs to hand out a checkpoint and proofs, and those a partner runs.
  const f = (name: string) => path.join(dir, name);
  const run = async (cmd: (raw: unknown, fx: Effects) => Promise<void>, raw: unknown) => {
    const out = memoryEffects(new Date('2026-04-02T10:00:00Z'));
    await cmd(raw, out);
    return out.lines.join('\n');
  };
  await run(checkpointCommand, { case: caseDir, out: f('a.txt') });
  await run(keyCommand, { case: caseDir, out: f('log.vkey') });
  await run(checkpointCommand, { case: caseDir, out: f('b.txt'), reason: 'handed to NL' });
  await run(proveCommand, { case: caseDir, entry: '1', checkpoint: f('b.txt'), out: f('p.json') });
  await run(consistencyCommand, {
    case: caseDir,
    from: f('a.txt'),
    to: f('b.txt'),
    out: f('c.json'),
  });
  await run(exportCommand, { case: caseDir, out: f('log.jsonl') });
  assert.match(
    await run(verifyCommand, { proof: f('p.json'), key: f('log.vkey') }),
    /Entry 1 \(ingest by cli:/,
  );
  assert.match(
    await run(verifyCommand, { proof: f('c.json'), key: f('log.vkey') }),
    /extends its \d+ entries unchanged/,
  );
  assert.match(
    await run(verifyCommand, { log: f('log.jsonl'), checkpoint: f('a.txt'), key: f('log.vkey') }),
    /holds the \d+ entries of the checkpoint unchanged/,
  );
  assert.match(
    await run(verifyCommand, { case: caseDir, checkpoint: f('a.txt') }),
    /nothing was removed or rewritten since it was signed/,
  );
  // A proof asked of an entry the checkpoint does not hold is refused, saying so.
  await assert.rejects(
    run(proveCommand, { case: caseDir, entry: '999', checkpoint: f('a.txt') }),
    /holds entries 1–\d+: no entry 999/,
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
