/**
 * The text of an SMPP delivery receipt (SMPP 3.4 Appendix B, the de-facto format):
 * `id:IIII sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD err:000 text:…`
 */
export interface ReceiptText {
  id: string;
  stat: string;
  doneAt: Date | null;
}

const STAT_STATE: Record<string, 'delivered' | 'undeliverable' | 'expired'> = {
  DELIVRD: 'delivered',
  UNDELIV: 'undeliverable',
  REJECTD: 'undeliverable',
  DELETED: 'undeliverable',
  UNKNOWN: 'undeliverable',
  EXPIRED: 'expired',
};

export const stateOfStat = (stat: string): 'delivered' | 'undeliverable' | 'expired' | null =>
  STAT_STATE[stat.toUpperCase()] ?? null;

const smppDate = (s: string | undefined): Date | null => {
  const m = s?.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?$/);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec] = m;
  const date = new Date(
    Date.UTC(2000 + Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? 0)),
  );
  return Number.isNaN(date.getTime()) ? null : date;
};

export function parseReceiptText(text: string): ReceiptText | null {
  const id = text.match(/\bid:(\S+)/i)?.[1];
  const stat = text.match(/\bstat:(\S+)/i)?.[1];
  if (!id || !stat) return null;
  return {
    id,
    stat: stat.toUpperCase(),
    doneAt: smppDate(text.match(/\bdone date:(\d{10,12})/i)?.[1]),
  };
}

const yymmddhhmm = (d: Date) => d.toISOString().replace(/\D/g, '').slice(2, 12);

export function formatReceiptText(r: {
  id: string;
  submitted: Date;
  done: Date;
  stat: string;
  text: string;
}): string {
  const delivered = r.stat === 'DELIVRD' ? '001' : '000';
  return `id:${r.id} sub:001 dlvrd:${delivered} submit date:${yymmddhhmm(r.submitted)} done date:${yymmddhhmm(r.done)} stat:${r.stat} err:000 text:${r.text.slice(0, 20)}`;
}
