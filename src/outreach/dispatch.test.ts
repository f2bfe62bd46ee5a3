import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backends } from '../../test/ops-backends.ts';
import {
  caseTargets,
  dispatcherOn,
  fastDispatch,
  sendingCampaign,
  until,
} from '../../test/outreach-fixtures.ts';
import { parseFaults } from '../smsc/faults.ts';
import { startSimulator } from '../smsc/simulator.ts';
import { campaignStatus } from './campaigns.ts';
import { parseCode } from './refcode.ts';

for (const backend of backends) {
  describe(`dispatch over SMPP (${backend.name})`, () => {
    it('sends every victim exactly one text, with its own valid reference code, and records the receipts', async () => {
      const { db, drop } = await backend.open();
      const sim = await startSimulator({ port: 0, faults: parseFaults('receipt-delay=50') });
      try {
        const targets = await caseTargets();
        assert.ok(targets.length > 50, `${targets.length} targets`);
        const id = await sendingCampaign(db, targets);
        const run = await dispatcherOn(db, sim.port, fastDispatch());
        await until(
          async () => {
            const s = await campaignStatus(db, id);
            return s.counts.delivered === targets.length && s.campaign.state === 'completed';
          },
          60_000,
          'all delivered',
        );
        await run.stop();
        const st = await campaignStatus(db, id);
        assert.equal(st.campaign.state, 'completed');
        const to = sim.accepted.map((m) => m.destination).sort();
        assert.deepEqual(to, targets.map((t) => t.number).sort());
        const codes = new Set<string>();
        for (const m of sim.accepted) {
          // Each text in its victim's language: the code follows the word for reference.
          const code =
            m.text.match(
              /(?:reference|referentiecode|cyfeirnod|référence) (\S{4}-\S{4}-\S{4})/,
            )?.[1] ?? '';
          assert.ok(parseCode(code), `a valid code in: ${m.text}`);
          codes.add(code);
          // Each in the language of the victim's country: the case has GB, NL and FR victims.
          assert.match(
            m.text,
            /^Metropolitan Police(: on \d{1,2} \w+ 20\d\d someone called this phone pretending to be .+\. It was not them\.|: op \d{1,2} \w+ 20\d\d belde iemand dit nummer en deed zich voor als .+\. Zij waren het niet\.| : le \d{1,2}(er)? \S+ 20\d\d, quelqu'un a appelé ce numéro en se faisant passer pour .+\. Ce n'était pas eux\.)/,
          );
          assert.equal(m.source, 'MetPolice');
        }
        assert.equal(codes.size, targets.length, 'one code per victim');
      } finally {
        await sim.close();
        await drop();
      }
    });
  });
}
