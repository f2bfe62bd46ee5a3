/**
 * The campaign commands as an officer runs them: acting as a console user (password and TOTP,
 * checked like a sign-in), JSON out, refusals with their codes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { signedInCase } from '../../test/cli-users.ts';
import { openCase } from '../case/store.ts';
import { openOps } from '../ops/open.ts';
import { memoryEffects } from '../shared/effects.ts';
import {
  campaignCreateCommand,
  campaignMoveCommand,
  campaignPreviewCommand,
  campaignStatusCommand,
} from './command.ts';

test(
  'campaign create, preview, approve, send and status from the command line',
  { timeout: 120_000 },
  async () => {
    const { dir, t0, as } = await signedInCase('unspoof-campaign-cli-');
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    try {
      let r = as('outreach');
      const window = {
        windowStart: new Date(t0.getTime() - 60_000).toISOString(),
        windowEnd: new Date(t0.getTime() + 86_400_000).toISOString(),
      };
      const create = {
        ...r.auth,
        name: 'CLI pilot',
        country: 'US',
        tier: 'harmed,likely',
        limit: '10',
        force: 'Metropolitan Police',
        site: 'met.police.uk/ispoof',
        sender: 'MetPolice',
        day: '00:00-24:00',
        ...window,
      };
      await campaignCreateCommand(create, r.fx);
      const created = JSON.parse(r.fx.lines[0] as string) as { id: number; messages: number };
      assert.equal(created.messages, 10);

      r = as('outreach');
      assert.equal(
        await code(campaignCreateCommand({ ...create, ...r.auth, totp: '000000' }, r.fx)),
        'LOGIN_FAILED',
      );
      r = as('outreach');
      assert.equal(
        await code(
          campaignCreateCommand(
            {
              ...create,
              ...r.auth,
              templateFile: writeTemplate(dir, 'Pay the £5 fee at {site}, ref {reference}'),
            },
            r.fx,
          ),
        ),
        'TEMPLATE_UNSAFE',
      );

      r = as('outreach');
      await campaignPreviewCommand(String(created.id), { ...r.auth, limit: '3' }, r.fx);
      const preview = JSON.parse(r.fx.lines[0] as string) as Array<{
        text: string;
        encoding: string;
        segments: number;
      }>;
      assert.equal(preview.length, 3);
      assert.ok(preview.every((p) => p.text.includes('XXXX-XXXX-XXXX') && p.encoding === 'GSM-7'));

      r = as('outreach');
      assert.equal(
        await code(campaignMoveCommand('send')(String(created.id), r.auth, r.fx)),
        'CAMPAIGN_NOT_APPROVED',
      );
      r = as('outreach');
      assert.equal(
        await code(campaignMoveCommand('approve')(String(created.id), r.auth, r.fx)),
        'FORBIDDEN',
      );
      r = as('supervisor');
      await campaignMoveCommand('approve')(String(created.id), r.auth, r.fx);
      assert.equal((JSON.parse(r.fx.lines[0] as string) as { state: string }).state, 'approved');
      r = as('outreach');
      await campaignMoveCommand('send')(String(created.id), r.auth, r.fx);

      const st = memoryEffects(new Date());
      await campaignStatusCommand(String(created.id), { case: dir, json: true }, st);
      const status = JSON.parse(st.lines[0] as string) as {
        state: string;
        approved_by: string;
        counts: Record<string, number>;
      };
      assert.deepEqual(
        [status.state, status.approved_by, status.counts.queued],
        ['sending', 'supervisor', 10],
      );
    } finally {
      delete process.env.UNSPOOF_PASSWORD;
    }
  },
);

/** The signed-in case (test/cli-users.ts) and a pilot campaign's options. */
async function pilotCase(prefix: string) {
  const { dir, t0, as } = await signedInCase(prefix);
  const pilot = {
    name: 'GB pilot',
    country: 'GB,US',
    tier: 'harmed,likely',
    force: 'Metropolitan Police',
    site: 'met.police.uk/ispoof',
    sender: 'MetPolice',
    day: '00:00-24:00',
    windowStart: new Date(t0.getTime() - 60_000).toISOString(),
    windowEnd: new Date(t0.getTime() + 86_400_000).toISOString(),
  };
  return { dir, as, pilot };
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

test(
  'campaign create signs in and checks the permission before it selects anything',
  { timeout: 120_000 },
  async () => {
    const { dir, as, pilot } = await pilotCase('unspoof-campaign-signin-');
    // A case the selection would refuse (NOT_ANALYSED): whatever is refused first says whether
    // the sign-in came before the selection.
    const store = await openCase(dir);
    try {
      await store.conn.run(`DELETE FROM case_meta WHERE key = 'analysis'`);
    } finally {
      store.close();
    }
    try {
      let r = as('outreach');
      const t = performance.now();
      assert.equal(
        await codeOf(campaignCreateCommand({ ...pilot, ...r.auth, totp: '000000' }, r.fx)),
        'LOGIN_FAILED',
      );
      // An expired code: the one shown five minutes before the command runs.
      r = as('outreach', (at) => new Date(at.getTime() - 300_000));
      assert.equal(
        await codeOf(campaignCreateCommand({ ...pilot, ...r.auth }, r.fx)),
        'LOGIN_FAILED',
      );
      assert.ok(performance.now() - t < 20_000, 'refused at once');
      r = as('analyst');
      assert.equal(await codeOf(campaignCreateCommand({ ...pilot, ...r.auth }, r.fx)), 'FORBIDDEN');
      assert.deepEqual(r.fx.lines, []);
      r = as('outreach');
      assert.equal(
        await codeOf(campaignCreateCommand({ ...pilot, ...r.auth }, r.fx)),
        'NOT_ANALYSED',
        'signed in, the selection runs',
      );
    } finally {
      delete process.env.UNSPOOF_PASSWORD;
    }
  },
);

test(
  'campaign create --limit N: a second pilot with the same filter texts the next N victims',
  { timeout: 120_000 },
  async () => {
    const { dir, as, pilot } = await pilotCase('unspoof-campaign-pilots-');
    type Created = {
      id: number;
      messages: number;
      excluded: { texted_by_another_campaign: number };
    };
    const create = async (limit: string) => {
      const r = as('outreach');
      await campaignCreateCommand({ ...pilot, ...r.auth, limit }, r.fx);
      return JSON.parse(r.fx.lines[0] as string) as Created;
    };
    const numbers = async (id: number) => {
      const ops = await openOps(dir);
      try {
        return (
          await ops.query<{ number: string }>(
            'SELECT number FROM messages WHERE campaign_id = $1 ORDER BY number',
            [id],
          )
        ).map((m) => m.number);
      } finally {
        await ops.close();
      }
    };
    try {
      const first = await create('7');
      const second = await create('7');
      assert.deepEqual([first.messages, second.messages], [7, 7]);
      assert.equal(second.excluded.texted_by_another_campaign, 7);
      const [a, b] = [await numbers(first.id), await numbers(second.id)];
      assert.equal(new Set([...a, ...b]).size, 14, 'disjoint');
    } finally {
      delete process.env.UNSPOOF_PASSWORD;
    }
  },
);

function writeTemplate(dir: string, text: string): string {
  const f = path.join(dir, 'template.txt');
  fs.writeFileSync(f, text);
  return f;
}
