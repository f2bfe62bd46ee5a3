/**
 * Receipts that never come (docs/outreach.md, "Unconfirmed"). A gateway may take a message and
 * lose its receipt: the message is not counted as reached. Once the gateway's receipt timeout
 * has passed, the gateway is asked (query_sm, where it answers) and what it cannot confirm
 * becomes `unconfirmed`. A campaign with nothing left to send awaits its receipts, and is then
 * completed — with unconfirmed messages, counted and audited, when some never got one. Nothing
 * is sent again by itself: only an approved resend (resend.ts) does that.
 */
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsDb, OpsQuery, Prepared } from '../ops/db.ts';
import type { QueryResult, Receipt } from './gateways/gateway.ts';
import { MAINT, storeReceipts } from './statements.ts';

/** Asks the gateway for one id's state (Gateway.query). */
export type Ask = (messageId: string, sender: string) => Promise<QueryResult>;

/** At most this many late messages are looked at in one sweep. */
const SWEEP = 500;

export interface Swept {
  /** Settled by the gateway's answer to query_sm. */
  confirmed: number;
  unconfirmed: number;
}

const hours = (ms: number) =>
  ms >= 3_600_000 ? `${Math.round(ms / 360_000) / 10} h` : `${Math.round(ms / 100) / 10} s`;

/**
 * Messages taken longer than `timeoutMs` ago with no final receipt: asked about (when `ask` is
 * given), settled when the gateway knows, else `unconfirmed`. Repeats until none is left.
 */
export async function sweepLate(db: OpsDb, timeoutMs: number, ask?: Ask): Promise<Swept> {
  const out: Swept = { confirmed: 0, unconfirmed: 0 };
  for (;;) {
    const late = await db.query<{
      id: string;
      number: string;
      sender_id: string;
      waiting: string[];
    }>(MAINT.late as Prepared, [timeoutMs, SWEEP]);
    if (!late.length) return out;
    const receipts: Receipt[] = [];
    const unknown: string[] = [];
    await Promise.all(
      late.map(async (m) => {
        const answers = ask
          ? await Promise.all(m.waiting.map((id) => ask(id, m.sender_id)))
          : m.waiting.map((): QueryResult => ({ kind: 'unknown', error: 'not asked' }));
        if (answers.length && answers.every((a) => a.kind === 'final')) {
          m.waiting.forEach((id, i) => {
            const a = answers[i] as Extract<QueryResult, { kind: 'final' }>;
            receipts.push({
              type: 'receipt',
              messageId: id,
              destination: m.number,
              state: a.state,
              stat: `${a.stat} (query_sm)`,
              doneAt: a.doneAt,
            });
          });
        } else unknown.push(m.id);
      }),
    );
    await storeReceipts(db, receipts);
    if (unknown.length) {
      await db.query(MAINT.unconfirm as Prepared, [
        unknown,
        `taken by the gateway, but no final receipt within ${hours(timeoutMs)}${ask ? ', and query_sm could not say' : ''}`,
      ]);
    }
    out.confirmed += late.length - unknown.length;
    out.unconfirmed += unknown.length;
    if (late.length < SWEEP) return out;
  }
}

const ACTION: Record<string, string> = {
  awaiting_receipts: 'campaign_awaiting_receipts',
  completed: 'campaign_completed',
  completed_unconfirmed: 'campaign_completed_unconfirmed',
};

/**
 * Moves campaigns on (sending → awaiting receipts → completed, or completed with unconfirmed
 * messages), each change with its audit row and the counts, in one transaction.
 */
export async function settleCampaigns(
  db: OpsDb,
  actor: string,
  now: Date,
): Promise<Array<{ id: number; state: string }>> {
  return db.transaction(async (tx) => {
    const moved = await tx.query<{ id: number; was: string; state: string }>(
      MAINT.settle_campaigns as Prepared,
    );
    for (const c of moved) {
      const counts = await stateCounts(tx, c.id);
      await recordAuditIn(
        tx,
        {
          actor,
          action: ACTION[c.state] ?? `campaign_${c.state}`,
          target: `campaign:${c.id}`,
          detail: { from: c.was, counts },
        },
        now,
      );
    }
    return moved.map(({ id, state }) => ({ id, state }));
  });
}

async function stateCounts(tx: OpsQuery, id: number): Promise<Record<string, number>> {
  const rows = await tx.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM messages WHERE campaign_id = $1 GROUP BY state ORDER BY state`,
    [id],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
