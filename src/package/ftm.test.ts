/**
 * The FollowTheMoney entities of a slice: golden (test/golden/package/ftm-entities.json;
 * UPDATE_GOLDEN=1 rewrites it after a deliberate change), valid in FtM's default model, and
 * nothing of another country's account but its pseudonym. The check itself is shown to fail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOREIGN, FOREIGN_PSEUDONYM, formatsFixture } from '../../test/package-fixture-formats.ts';
import { sliceFixture } from '../../test/package-fixture.ts';
import { checkFtm, ftmEntities, type FtmEntity } from './ftm.ts';
import { golden } from '../../test/golden.ts';

const of = (entities: FtmEntity[], schema: string) => entities.filter((e) => e.schema === schema);

test('the entities are as golden, and the same for the same slice', () => {
  const got = JSON.stringify(ftmEntities(formatsFixture()), null, 2) + '\n';
  assert.equal(JSON.stringify(ftmEntities(formatsFixture()), null, 2) + '\n', got);
  golden('package/ftm-entities.json', got);
});

test('the entities are valid in the default model', () => {
  const entities = ftmEntities(formatsFixture());
  assert.deepEqual(checkFtm(entities), []);
  assert.equal(of(entities, 'Payment').length, 4);
  assert.equal(of(entities, 'CryptoWallet').length, 2);
  assert.equal(of(entities, 'UnknownLink').length, 2);
  assert.equal(of(entities, 'Membership').length, 3);
  for (const id of entities.map((e) => e.id)) assert.match(id, /^[0-9a-f]{40}$/);
});

test('the shared fixture’s entities (a payment with no address or amount) are valid too', () => {
  assert.deepEqual(checkFtm(ftmEntities(sliceFixture())), []);
});

test('the check finds an unknown property, a dangling reference and a wrong range', () => {
  const broken = (change: (e: FtmEntity[]) => void) => {
    const entities = structuredClone(ftmEntities(formatsFixture()));
    change(entities);
    return checkFtm(entities);
  };
  const payment = (e: FtmEntity[]) => of(e, 'Payment')[0]!;
  const unknown = broken((e) => (of(e, 'UserAccount')[0]!.properties.shoeSize = ['44']));
  assert.deepEqual(unknown.length, 1);
  assert.match(unknown[0]!, /UserAccount has no property shoeSize/);
  const dangling = broken((e) => (payment(e).properties.payer = ['f'.repeat(40)]));
  assert.deepEqual(dangling.length, 1);
  assert.match(dangling[0]!, /Payment\.payer "f{40}" is no entity of the set/);
  // A UserAccount cannot pay (the reason for the holders): it is no LegalEntity.
  const range = broken((e) => (payment(e).properties.payer = [of(e, 'UserAccount')[0]!.id]));
  assert.deepEqual(range.length, 1);
  assert.match(range[0]!, /is a UserAccount, not a LegalEntity/);
  const shapes = broken((e) => {
    payment(e).properties.date = ['2025-13-01'];
    of(e, 'UserAccount')[0]!.properties.email = ['not-an-email'];
    of(e, 'UserAccount')[0]!.properties.country = ['xx'];
    of(e, 'UnknownLink')[0]!.schema = 'Interest';
    delete of(e, 'Membership')[0]!.properties.organization;
  });
  assert.equal(shapes.length, 7, shapes.join('\n'));
  assert.match(shapes.join('\n'), /date "2025-13-01" is no valid date/);
  assert.match(shapes.join('\n'), /email "not-an-email" is no valid email/);
  assert.match(shapes.join('\n'), /country "xx" is no valid country/);
  assert.match(shapes.join('\n'), /Interest is abstract/);
  assert.match(shapes.join('\n'), /Interest has no property subject/);
  assert.match(shapes.join('\n'), /Membership needs organization/);
});

test('another country’s account appears only as its pseudonym', () => {
  const text = JSON.stringify(ftmEntities(formatsFixture()));
  assert.ok(text.includes(FOREIGN_PSEUDONYM));
  for (const v of Object.values(FOREIGN)) assert.ok(!text.includes(v), v);
});
