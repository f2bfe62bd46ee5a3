/**
 * Texts from victims. STOP and its usual variants opt the number out of every campaign of the
 * case at once (audited, the number itself never written to the log); anything else is ignored.
 */
import { EventEmitter } from 'node:events';
import { recordAuditIn } from '../audit/audit.ts';
import type { OpsDb } from '../ops/db.ts';
import type { Inbound } from './gateways/gateway.ts';

// The keywords carriers treat as an opt-out (UK/US practice), in any case and with or without
// punctuation: STOP first in the text ("Stop texting me"); the others only as the whole text
// ("Cancel my card?" is not an opt-out).
const STOP_FIRST = /^\s*(stop\s*all|stop)\b/i;
const STOP_ALONE =
  /^\s*(unsubscribe|cancel|end|quit|opt[\s-]?out|remove|arr[eê]t|stopp|afmelden)[\s.!]*$/i;

/**
 * Numbers that opted out, told at once to the dispatchers of this process (`stop`, the number),
 * so a text already claimed but not yet written is not sent; dispatchers of other processes
 * read the opt-outs at each heartbeat.
 */
export const optOutNews = new EventEmitter().setMaxListeners(0);

export const isStop = (text: string): string | null =>
  (text.match(STOP_FIRST) ?? text.match(STOP_ALONE))?.[1]?.toUpperCase().replace(/[\s-]+/g, '') ??
  null;

export async function handleInbound(
  db: OpsDb,
  e: Inbound,
  now: Date,
  victimId: (n: string) => string,
): Promise<boolean> {
  const keyword = isStop(e.text);
  if (!keyword) return false;
  await db.transaction(async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO opt_outs (number, keyword, at) VALUES ($1, $2, $3) ON CONFLICT (number) DO NOTHING RETURNING number`,
      [e.from, keyword, now],
    );
    const stopped = await tx.query<{ n: number }>(
      `WITH s AS (UPDATE messages SET state = 'opted_out', done_at = $2, error = 'replied STOP'
                  WHERE (campaign_id, number) IN (SELECT id, $1 FROM campaigns) AND state = 'queued'
                  RETURNING 1)
       SELECT count(*)::int AS n FROM s`,
      [e.from, now],
    );
    optOutNews.emit('stop', e.from);
    if (fresh.length) {
      await recordAuditIn(
        tx,
        {
          actor: 'sms:inbound',
          action: 'opt_out',
          target: `victim:${victimId(e.from)}`,
          detail: { keyword, messages_withdrawn: stopped[0]?.n ?? 0 },
        },
        now,
      );
    }
  });
  return true;
}
