import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDaytime, localDate, zonesOf } from './window.ts';
import { isStop } from './optout.ts';

const day = { dayStart: '09:00', dayEnd: '20:00' };

describe('local daytime', () => {
  it('takes the zone from the number: by area code in countries with several', async () => {
    assert.equal(await zonesOf('+12125550123'), 'America/New_York');
    assert.equal(await zonesOf('+13105550123'), 'America/Los_Angeles');
    assert.equal(await zonesOf('+16045550123'), 'America/Vancouver');
    assert.equal(await zonesOf('+61298765432'), 'Australia/Sydney');
    assert.match(await zonesOf('+447700900123'), /Europe\/London/);
    assert.equal(await zonesOf('+33612345678'), 'Europe/Paris');
    assert.equal(await zonesOf('not a number'), '');
  });

  it('is 09:00–20:00 where the victim is, in every zone the number may be in', () => {
    const at = new Date('2026-06-01T15:00:00Z'); // 16:00 London, 11:00 New York, 08:00 Los Angeles
    assert.equal(isDaytime(at, 'Europe/London', day), true);
    assert.equal(isDaytime(at, 'America/New_York', day), true);
    assert.equal(isDaytime(at, 'America/Los_Angeles', day), false);
    assert.equal(isDaytime(at, 'America/Los_Angeles,America/New_York', day), false);
    assert.equal(
      isDaytime(new Date('2026-06-01T19:00:00Z'), 'Europe/London', day),
      false,
      '20:00 is the end',
    );
    assert.equal(isDaytime(at, '', day), false, 'never when the zone is unknown');
    // Summer time is the zone's own: 08:30 UTC is 09:30 in London in June, 08:30 in January.
    assert.equal(isDaytime(new Date('2026-06-01T08:30:00Z'), 'Europe/London', day), true);
    assert.equal(isDaytime(new Date('2026-01-15T08:30:00Z'), 'Europe/London', day), false);
  });

  it('dates the call in the victim’s own zone', () => {
    const at = new Date('2026-03-12T02:00:00Z');
    assert.equal(localDate(at, 'Europe/London'), '2026-03-12');
    assert.equal(localDate(at, 'America/New_York'), '2026-03-11');
  });
});

describe('STOP', () => {
  it('knows the usual opt-out words, and does not mistake a question for one', () => {
    for (const t of [
      'STOP',
      'stop',
      ' Stop. ',
      'STOP ALL',
      'Stop texting me',
      'unsubscribe',
      'CANCEL',
      'end',
      'Quit!',
      'opt out',
      'OPT-OUT',
    ]) {
      assert.ok(isStop(t), t);
    }
    for (const t of ['Cancel my card?', 'Is this the end?', 'stopped', 'please help', ''])
      assert.equal(isStop(t), null, t);
  });
});
