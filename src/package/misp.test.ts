/**
 * The MISP event of a slice: golden (test/golden/package/misp-event.json; UPDATE_GOLDEN=1
 * rewrites it after a deliberate change), every attribute's type valid for its category and its
 * template, every reference to an object of the event, and nothing of another country's account
 * but its pseudonym.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOREIGN, FOREIGN_PSEUDONYM, formatsFixture } from '../../test/package-fixture-formats.ts';
import { sliceFixture } from '../../test/package-fixture.ts';
import { checkMisp, mispEvent, uuid5 } from './misp.ts';
import { golden } from '../../test/golden.ts';

const GROUP = { uuid: '0b6a1c44-1d2e-4f3a-9b8c-7d6e5f4a3b2c', name: 'unspoof NL (test)' };

interface Event {
  Event: {
    distribution: string;
    SharingGroup: { uuid: string };
    Object: {
      uuid: string;
      name: string;
      Attribute: { type: string; category: string; value: string; distribution: string }[];
      ObjectReference: { referenced_uuid: string; relationship_type: string }[];
    }[];
  };
}

test('the event is as golden, and the same for the same slice', () => {
  const got = JSON.stringify(mispEvent(formatsFixture(), GROUP), null, 2) + '\n';
  assert.equal(JSON.stringify(mispEvent(formatsFixture(), GROUP), null, 2) + '\n', got);
  golden('package/misp-event.json', got);
});

test('UUIDs are RFC 4122 version 5', () => {
  // RFC 4122's DNS namespace and python.org: the value Python's uuid.uuid5 gives.
  assert.equal(
    uuid5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'),
    '886313e1-3b8a-5372-9b90-0c9aee199e5d',
  );
});

test('every attribute is valid for its category and every reference resolves', () => {
  const event = mispEvent(formatsFixture(), GROUP) as Event;
  assert.deepEqual(checkMisp(event), []);
  const { Event: e } = event;
  assert.equal(e.distribution, '4');
  assert.equal(e.SharingGroup.uuid, GROUP.uuid);
  const uuids = new Set(e.Object.map((o) => o.uuid));
  const refs = e.Object.flatMap((o) => o.ObjectReference);
  assert.ok(refs.length > 0);
  for (const r of refs) assert.ok(uuids.has(r.referenced_uuid), r.referenced_uuid);
  // One object per distinct phone, IP and address: 192.0.2.10 is shared by two accounts.
  const named = (n: string) => e.Object.filter((o) => o.name === n);
  assert.equal(named('user-account').length, 4); // three suspects and the GB pseudonym
  assert.equal(named('ip-port').length, 4);
  assert.equal(named('btc-wallet').length, 2);
  assert.equal(named('btc-transaction').length, 4);
  assert.equal(refs.filter((r) => r.relationship_type === 'linked-to').length, 2);
});

test('the shared fixture’s event (a payment with no address or amount) is valid too', () => {
  assert.deepEqual(checkMisp(mispEvent(sliceFixture(), GROUP)), []);
});

test('the check finds a type outside its category, a dangling reference, a wrong template', () => {
  const event = mispEvent(formatsFixture(), GROUP) as Event;
  const [account, other] = event.Event.Object;
  account!.Attribute[0]!.category = 'Targeting data';
  account!.Attribute[1]!.type = 'btc';
  account!.ObjectReference[0]!.referenced_uuid = '00000000-0000-5000-8000-000000000000';
  other!.Attribute[0]!.distribution = '3';
  const problems = checkMisp(event);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems.join('\n'), /type text is not valid in "Targeting data"/);
  assert.match(problems.join('\n'), /type btc is not valid in "Other"/);
  assert.match(problems.join('\n'), /user-account has no username of btc/);
  assert.match(problems.join('\n'), /is no object of the event/);
  assert.match(problems.join('\n'), /distribution 3/);
});

test('another country’s account appears only as its pseudonym', () => {
  const text = JSON.stringify(mispEvent(formatsFixture(), GROUP));
  assert.ok(text.includes(FOREIGN_PSEUDONYM));
  for (const v of Object.values(FOREIGN)) assert.ok(!text.includes(v), v);
});
