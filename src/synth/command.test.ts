import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { synthCommand } from './command.ts';
import { memoryEffects } from '../shared/effects.ts';
import { isUnspoofError } from '../shared/errors.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'unspoof-synth-cmd-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const base = { seed: '1', callsFormat: 'canonical' as const };

const rejects = (code: string) => (e: unknown) => isUnspoofError(e) && e.code === code;

describe('unspoof synth', () => {
  it('writes an export and prints its summary as JSON', async () => {
    const out = path.join(root, 'a');
    const effects = memoryEffects();
    await synthCommand({ ...base, out, calls: '2000', json: true }, effects);
    const summary = JSON.parse(effects.lines.join('\n'));
    // Each call record once; the other legs of multi-leg calls come on top (truth/switch.json).
    assert.equal(summary.calls.rows - summary.switch.legs, 2000);
    assert.ok(summary.switch.legs > 0);
    assert.equal(summary.scale, 0.0002);
    assert.equal(summary.clock, 'Europe/London');
    assert.ok(fs.existsSync(path.join(out, 'truth', 'victims.csv')));
    assert.ok(fs.existsSync(path.join(out, 'truth', 'switch.json')));
  });

  it('prints a readable summary without --json', async () => {
    const effects = memoryEffects();
    await synthCommand({ ...base, out: path.join(root, 'b'), scale: '0.0003' }, effects);
    assert.match(effects.lines.join('\n'), /\(3000 call records, \d+ other legs\)/);
  });

  it('writes switch times in UTC with --clock utc, and says so in export.json', async () => {
    const out = path.join(root, 'e');
    const effects = memoryEffects();
    await synthCommand(
      { ...base, callsFormat: 'asterisk', out, calls: '2000', clock: 'utc', json: true },
      effects,
    );
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.equal(meta.timezone, 'UTC');
    assert.equal(meta.outside_line, '9');
    const sw = JSON.parse(fs.readFileSync(path.join(out, 'truth', 'switch.json'), 'utf8'));
    assert.equal(sw.clock, 'UTC');
    assert.equal(JSON.parse(effects.lines.join('\n')).clock, 'UTC');
  });

  it('refuses a non-empty output folder', async () => {
    const out = path.join(root, 'c');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'x'), '');
    await assert.rejects(
      synthCommand({ ...base, out, calls: '1000' }, memoryEffects()),
      rejects('OUTPUT_EXISTS'),
    );
  });

  it('rejects invalid options as usage errors', async () => {
    const out = path.join(root, 'd');
    for (const bad of [
      { calls: 'many' },
      { calls: '10' },
      { scale: '-1' },
      { seed: 'x' },
      { calls: '1000', scale: '1' },
      { calls: '1000', clock: 'gmt' as 'utc' },
    ]) {
      await assert.rejects(
        synthCommand({ ...base, out, ...bad }, memoryEffects()),
        rejects('USAGE'),
      );
    }
    assert.ok(!fs.existsSync(out));
  });
});
