/**
 * The shapes of docs/switch-records.md in synthetic exports: legs and duplicates (§1),
 * dispositions as recorded (§2), accounts (§3), caller IDs (§4), routes (§5), clocks (§6) and
 * dial-plan artefacts (§7) — each written, in the formats that have it, and read as the rule
 * book says (reference.ts recomputes the truth: truth.test.ts compares it for every format).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { callerKind } from './dialplan.ts';
import { connection, LAYOUT, reference, zoneReader, parseTime } from './reference.ts';
import { routeCountry } from './resolve.ts';
import { NO_COUNTRY_ROUTES, NON_NUMBER_CALLERS } from './shapes.ts';
import { readCsv, readLines, synthTo } from './testkit.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const NOT_NUMBER_DIALLED = ['voicemail', '*97', 'SIP/1001-0000002a', 'sip:2001@pbx.example.com'];

/** The rows of a calls file that split into the format's columns, grouped by call id. */
function rowsById(file: string, format: 'canonical' | 'asterisk' | 'freeswitch') {
  const L = LAYOUT[format];
  const byId = new Map<string, string[][]>();
  for (const f of readCsv(file, format === 'canonical')) {
    if (f.length !== L.n) continue;
    const id = f[L.id]!;
    byId.set(id, [...(byId.get(id) ?? []), f]);
  }
  return byId;
}

describe('an Asterisk export, switch times local', async () => {
  const { out, summary } = await synthTo(20_000, 31, 'asterisk');
  dirs.push(out);
  const ref = reference(out, 'asterisk');
  const calls = [...ref.calls.values()];
  const master = path.join(out, 'Master.csv');
  const byId = rowsById(master, 'asterisk');
  const L = LAYOUT.asterisk;

  it('writes 3–5% of calls as 2–3 legs of a forked dial, each ringing another channel', () => {
    const multi = calls.filter((c) => c.legs > 1);
    const share = multi.length / calls.length;
    assert.ok(share > 0.03 && share < 0.05, `share ${share}`);
    assert.ok(multi.some((c) => c.legs === 3));
    assert.ok(calls.every((c) => c.legs <= 3));
    for (const [id, rows] of byId) {
      if (rows.length < 2 || rows[0]!.join() === rows[1]!.join()) continue;
      const channels = new Set(rows.map((f) => f[6]));
      assert.ok(channels.size === rows.length || channels.has(''), id);
    }
  });

  it('decides a call by its connected leg with the most billed seconds, wherever written', () => {
    const legsOf = (id: string) =>
      byId.get(id)!.map((f) => ({
        ...connection('asterisk', f[L.disp]!, f[L.ans] !== '', Number(f[L.bill]), f[L.peer]),
        billsec: Number(f[L.bill]),
        disposition: f[L.disp]!,
      }));
    let later = 0;
    let first = 0;
    let twoConnected = 0;
    let trap = 0;
    let none = 0;
    for (const [id, c] of ref.calls) {
      if (c.legs < 2) continue;
      const legs = legsOf(id);
      const connected = legs.filter((l) => l.connected);
      if (connected.length === 0) {
        none++;
        assert.ok(!c.connected, id);
        continue;
      }
      assert.ok(c.connected, id);
      assert.equal(c.billsec, Math.max(...connected.map((l) => l.billsec)), id);
      if (c.writtenAt > 0) later++;
      else first++;
      if (connected.length > 1) twoConnected++;
      // A BUSY leg with more billed seconds than the call's and an answer time: not connected.
      if (legs.some((l) => l.disposition === 'BUSY' && l.billsec > c.billsec)) trap++;
    }
    for (const [n, what] of [
      [later, 'deciding leg written after another'],
      [first, 'deciding leg written first'],
      [twoConnected, 'a shorter leg also answered'],
      [trap, 'a busy leg with more billed seconds'],
      [none, 'no leg connected'],
    ] as const) {
      assert.ok(n > 0, what);
    }
  });

  it('writes some records twice, byte for byte: duplicates, not legs', () => {
    const seen = new Set<string>();
    let twice = 0;
    for (const line of readLines(master)) {
      if (line === null) continue;
      if (seen.has(line)) twice++;
      seen.add(line);
    }
    assert.ok(twice > 0);
    assert.equal(twice, summary.calls.corrupt.duplicate_row);
    assert.equal(ref.quarantined.duplicate_row, twice);
    assert.ok(!('duplicate_id' in ref.quarantined));
  });

  it('records dispositions that contradict the times: not connected, whatever they say', () => {
    const conflicts = calls.filter((c) => c.conflict);
    assert.ok(conflicts.some((c) => !c.connected && c.billsec > 0));
    assert.ok(conflicts.some((c) => c.connected));
    const share = conflicts.length / calls.length;
    assert.ok(share > 0.002 && share < 0.01, `share ${share}`);
    const rows = [...byId.values()].flat();
    assert.ok(rows.some((f) => f[L.disp] === 'BUSY' && f[L.ans] !== '' && f[L.bill] !== '0'));
    assert.ok(rows.some((f) => f[L.disp] === 'NO ANSWER' && f[L.ans] !== ''));
    assert.ok(rows.some((f) => f[L.disp] === 'ANSWERED' && f[L.ans] === ''));
    assert.ok(rows.some((f) => f[L.disp] === 'CONGESTION'));
  });

  it('loads calls with no account code under (none), and codes no accounts file names', () => {
    const none = calls.filter((c) => c.account === '(none)');
    const share = none.length / calls.length;
    assert.ok(share > 0.0008 && share < 0.004, `share ${share}`);
    assert.ok(none.some((c) => c.class === 'victim'));
    const known = new Set(readCsv(path.join(out, 'accounts.csv')).map((r) => r[0]!));
    const only = calls.filter((c) => c.account !== '(none)' && !known.has(c.account));
    assert.ok(only.some((c) => c.class === 'victim'));
    const codes = new Set(only.map((c) => c.account));
    assert.ok(codes.size >= 2 && codes.size <= 4, `${codes.size} codes`);
    assert.equal(ref.switch.calls_only_account_codes, codes.size);
  });

  it('presents sender names, addresses and extensions, which give no country evidence', () => {
    // Sessions draw among NON_NUMBER_CALLERS: each kind shows up.
    const presented = new Set(calls.map((c) => c.presented));
    const ids = NON_NUMBER_CALLERS.map(([id]) => id).filter((id) => presented.has(id));
    for (const re of [/^[A-Za-z ]+$/, /^sip:/, /^[a-z]+@/, /^\d{4}$/]) {
      assert.ok(
        ids.some((id) => re.test(id)),
        `${re} in ${ids.join(', ')}`,
      );
    }
    const named = calls.filter((c) => callerKind(c.presented) === 'alphanumeric');
    assert.ok(named.length > calls.length * 0.005, `${named.length}`);
    assert.ok(named.some((c) => c.class === 'victim'));
    assert.ok(ref.switch.non_number_caller_ids > ref.switch.alphanumeric_caller_ids);
  });

  it('names countries by the route pattern only, and writes look-alikes that name none', () => {
    const lookAlikes = new Set(['to-pstn', 'sip-in', 'trunk-in', 'calls-in', 'hr', 'gb']);
    const seen = new Set<string>();
    for (const c of calls) {
      assert.ok(routeCountry(c.route) !== '' || NO_COUNTRY_ROUTES.asterisk.includes(c.route));
      if (lookAlikes.has(c.route)) seen.add(c.route);
    }
    assert.deepEqual([...seen].sort(), [...lookAlikes].sort());
  });

  it('dials an outside line first, and reads the number without it', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.equal(meta.outside_line, '9');
    const behind = calls.filter((c) => c.source === 'outside_line');
    const share = behind.length / calls.length;
    assert.ok(share > 0.02 && share < 0.05, `share ${share}`);
    assert.ok(behind.every((c) => /^9 ?\d{7,}$/.test(c.dialled)));
    assert.ok(behind.some((c) => /^9 ?0[1-9]/.test(c.dialled) && c.class === 'victim'));
    assert.ok(behind.some((c) => /^9 ?(00|011)/.test(c.dialled) && c.class === 'victim'));
    assert.equal(ref.switch.outside_line, behind.length);
  });

  it('reads the number from the dial string when dst is s or an extension', () => {
    const dialString = calls.filter((c) => c.source === 'dial_string');
    assert.ok(dialString.length > calls.length * 0.005, `${dialString.length}`);
    // `s`, an extension, or the number behind a prefix the dial plan stripped.
    for (const c of dialString) assert.match(c.dialled, /^(s|\d{3,4}|(8|1|81|55)\d{7,})$/);
    assert.ok(dialString.some((c) => c.dialled.length > 6 && c.class === 'victim'));
    assert.ok(dialString.some((c) => c.dialString.startsWith('PJSIP/')));
    assert.ok(dialString.some((c) => c.dialString.includes('&')));
    assert.ok(dialString.some((c) => c.dialled === 's' && c.class === 'victim'));
  });

  it('dials artefacts that are no number (special) and URIs read by their user part', () => {
    for (const raw of NOT_NUMBER_DIALLED) {
      const hit = calls.filter((c) => c.dialled === raw);
      assert.ok(hit.length > 0, raw);
      assert.ok(
        hit.every((c) => c.class === 'service_code'),
        raw,
      );
    }
    const uris = calls.filter((c) => /^(sips?|tel):/.test(c.dialled) && c.class === 'victim');
    assert.ok(uris.length > 0);
  });

  it('keeps uniqueid the UTC start, with local times in Europe/London, its skipped and repeated hours too', () => {
    const toUtc = zoneReader('Europe/London');
    let checked = 0;
    for (const [id, rows] of byId) {
      const epoch = Number(id.split('.')[0]);
      for (const f of rows) {
        const local = parseTime(f[L.start]!, 'asterisk');
        if (Number.isNaN(local)) continue;
        assert.equal(toUtc(local).utc, epoch, id);
        checked++;
      }
    }
    assert.ok(checked > calls.length);
    assert.ok(ref.switch.nonexistent_starts > 0);
    assert.ok(ref.switch.ambiguous_starts > 0);
    assert.equal(ref.switch.clock, 'Europe/London');
  });
});

describe('an Asterisk export, switch times UTC (usegmtime)', async () => {
  const { out, summary } = await synthTo(5_000, 32, 'asterisk', 'utc');
  dirs.push(out);
  const ref = reference(out, 'asterisk');

  it('declares UTC and writes every start as its uniqueid second', () => {
    const meta = JSON.parse(fs.readFileSync(path.join(out, 'export.json'), 'utf8'));
    assert.equal(meta.timezone, 'UTC');
    for (const [id, rows] of rowsById(path.join(out, 'Master.csv'), 'asterisk')) {
      for (const f of rows) {
        const t = parseTime(f[9]!, 'asterisk');
        if (!Number.isNaN(t)) assert.equal(t, Number(id.split('.')[0]), id);
      }
    }
    assert.equal(ref.switch.nonexistent_starts + ref.switch.ambiguous_starts, 0);
  });

  it('keeps its truth right', () => {
    const truth = (f: string) => JSON.parse(fs.readFileSync(path.join(out, 'truth', f), 'utf8'));
    assert.deepEqual(truth('switch.json'), ref.switch);
    assert.deepEqual(truth('calls.json'), ref.classes);
    assert.equal(truth('switch.json').clock, 'UTC');
    assert.equal(summary.clock, 'UTC');
  });
});

describe('a FreeSWITCH export', async () => {
  const { out, summary } = await synthTo(10_000, 33, 'freeswitch');
  dirs.push(out);
  const ref = reference(out, 'freeswitch');
  const byId = rowsById(path.join(out, 'Master.csv'), 'freeswitch');
  const L = LAYOUT.freeswitch;

  it('keeps hangup causes: connected is the answer time', () => {
    const rows = [...byId.values()].flat();
    const causes = new Set(rows.map((f) => f[L.disp]));
    for (const c of ['NORMAL_CLEARING', 'NO_ANSWER', 'USER_BUSY']) assert.ok(causes.has(c), c);
    assert.ok(rows.every((f) => /^[A-Z_]+$/.test(f[L.disp]!)));
    for (const c of ref.calls.values()) assert.ok(!c.conflict);
    // No legs: a FreeSWITCH leg has its own uuid; only duplicates repeat one.
    assert.equal(summary.switch.legs, 0);
  });

  it('writes time-based (version 1) uuids holding the UTC start for most calls', () => {
    const toUtc = zoneReader('Europe/London');
    let v1 = 0;
    for (const [id, rows] of byId) {
      const f = rows[0]!;
      if (id[14] !== '1') continue;
      const hex = `${id.slice(15, 18)}${id.slice(9, 13)}${id.slice(0, 8)}`;
      const ticks = BigInt(`0x${hex}`) - 0x01b21dd213814000n;
      const local = parseTime(f[L.start]!, 'freeswitch');
      if (Number.isNaN(local)) continue;
      assert.equal(Number(ticks / 10_000_000n), toUtc(local).utc, id);
      assert.match(id[19]!, /[89ab]/);
      v1++;
    }
    const share = v1 / byId.size;
    assert.ok(share > 0.7 && share < 0.9, `share ${share}`);
    assert.equal(ref.calls.size, summary.calls.loaded);
  });
});

describe('a canonical export', async () => {
  const { out } = await synthTo(10_000, 34, 'canonical');
  dirs.push(out);
  const ref = reference(out, 'canonical');
  const byId = rowsById(path.join(out, 'calls.csv'), 'canonical');

  it('writes legs and dispositions in any case', () => {
    assert.ok([...ref.calls.values()].some((c) => c.legs === 3));
    const dispositions = new Set([...byId.values()].flat().map((f) => f[9]!));
    assert.ok(
      [...dispositions].some((d) => d !== d.toUpperCase()),
      [...dispositions].join(),
    );
    assert.ok(ref.switch.disposition_conflicts > 0);
    assert.equal(ref.switch.outside_line + ref.switch.dial_string, 0);
  });
});
