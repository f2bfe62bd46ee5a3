/**
 * A campaign's texts as victims will receive them, for the officers who draft and approve it:
 * the number masked, the reference code replaced by a same-length stand-in (a victim's code
 * appears only in that victim's text), the encoding and segment count.
 */
import { demand } from '../authz/policy.ts';
import type { OpsQuery } from '../ops/db.ts';
import type { User } from '../users/roles.ts';
import { getCampaign } from './campaigns.ts';
import type { Lang } from './languages.ts';
import { templateFor } from './texts.ts';
import { CODE_STAND_IN, encodingOf, formatCallDate, render, type Encoding } from './template.ts';

export interface Preview extends Encoding {
  number: string;
  lang: Lang;
  text: string;
}

export async function previewMessages(
  db: OpsQuery,
  user: User,
  id: number,
  limit: number,
): Promise<Preview[]> {
  demand(user, 'campaigns:read');
  const c = await getCampaign(db, id);
  // The longest texts first: they are the ones that may run into another segment.
  const rows = await db.query<{
    number: string;
    brand: string | null;
    call_date: string | null;
    lang: Lang;
  }>(
    `SELECT number, brand, first_long_call::text AS call_date, lang FROM messages WHERE campaign_id = $1
     ORDER BY length(coalesce(brand, '')) DESC, id LIMIT $2`,
    [id, limit],
  );
  return rows.map((r) => {
    const text = render(templateFor(c, r.lang) ?? c.template, {
      force: c.force_name,
      site: c.official_site,
      brand: r.brand ?? '',
      call_date: formatCallDate(r.call_date, r.lang),
      reference: CODE_STAND_IN,
    });
    return { number: r.number, lang: r.lang, text, ...encodingOf(text) };
  });
}
