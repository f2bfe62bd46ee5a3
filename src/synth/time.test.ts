import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from './time.ts';

const clock = new Clock(
  Date.UTC(2020, 11, 1) / 1000,
  Date.UTC(2022, 11, 1) / 1000,
  'Europe/London',
);
const t = (iso: string) => Date.parse(iso) / 1000;

describe('Clock', () => {
  it('formats UTC as ISO 8601 with Z', () => {
    assert.equal(clock.iso(t('2021-03-04T10:11:12Z')), '2021-03-04T10:11:12Z');
    assert.equal(clock.iso(t('2022-11-30T23:59:59Z')), '2022-11-30T23:59:59Z');
  });

  it('formats Europe/London wall time across the DST changes', () => {
    assert.equal(clock.local(t('2021-01-15T12:00:00Z')), '2021-01-15 12:00:00');
    assert.equal(clock.local(t('2021-03-28T00:59:59Z')), '2021-03-28 00:59:59');
    assert.equal(clock.local(t('2021-03-28T01:00:00Z')), '2021-03-28 02:00:00');
    assert.equal(clock.local(t('2021-07-01T23:30:00Z')), '2021-07-02 00:30:00');
    assert.equal(clock.local(t('2021-10-31T00:30:00Z')), '2021-10-31 01:30:00');
    assert.equal(clock.local(t('2021-10-31T01:30:00Z')), '2021-10-31 01:30:00');
    assert.equal(clock.local(t('2022-06-15T08:05:09Z')), '2022-06-15 09:05:09');
  });
});
