/**
 * What the suspect pages show (rendering only): the list's filters and table, and one suspect's
 * page. The handlers (suspects.ts) validate, authorise and read; these only turn what was read
 * into HTML for a viewer whose rights are given.
 */
import { maskNumber } from '../../authz/policy.ts';
import { SCORE_FORMULA } from '../../report/report.ts';
import type { PlainRow } from '../../case/store.ts';
import { html, type Html } from '../../shared/html.ts';
import type { Sealer } from '../../shared/seal.ts';
import { PAGE_SIZE, SUSPECT_SORTS, type SuspectPage } from '../data.ts';
import { NODE_TYPES } from '../graph.ts';
import { fmt, pager, thead } from '../layout.ts';
import { sortHeader } from '../paging.ts';

/** What the viewer may see besides the suspects: crews, and victims' pages. */
export interface Rights {
  crews: boolean;
  victims: boolean;
}

export interface ListState {
  country?: string | undefined;
  priority?: '1' | undefined;
  crew?: string | undefined;
  sort: (typeof SUSPECT_SORTS)[number];
  dir: 'asc' | 'desc';
  page: number;
}

/** The suspects list: its filters, one page of rows and the pager. */
export function suspectsList(
  q: ListState,
  rows: readonly PlainRow[],
  total: number,
  rights: Rights,
): Html {
  const query = {
    country: q.country ?? null,
    priority: q.priority ?? null,
    crew: q.crew ?? null,
    sort: q.sort,
    dir: q.dir,
  };
  const sortLink = (col: (typeof SUSPECT_SORTS)[number], label: string) =>
    sortHeader('/suspects', query, q, col, label);
  return html` <form method="get" action="/suspects" class="filters">
      <label for="country">Country</label>
      <input
        id="country"
        name="country"
        value="${q.country ?? ''}"
        size="3"
        maxlength="2"
        pattern="[A-Z]{2}"
      />
      <label for="crew">Crew</label>
      <input id="crew" name="crew" value="${q.crew ?? ''}" size="10" />
      <label
        ><input type="checkbox" name="priority" value="1" ${q.priority ? html`checked` : ''} />
        Priority only</label
      >
      <input type="hidden" name="sort" value="${q.sort}" /><input
        type="hidden"
        name="dir"
        value="${q.dir}"
      />
      <button type="submit">Filter</button>
    </form>
    <table class="data" id="suspects">
      <caption>
        Suspects, by ${q.sort.replaceAll('_', ' ')} (${q.dir === 'desc' ? 'highest' : 'lowest'}
        first)
      </caption>
      <thead>
        <tr>
          <th scope="col">Account</th>
          ${sortLink('score', 'Score')}
          <th scope="col">Priority</th>
          <th scope="col">Country</th>
          ${sortLink('paid_gbp', 'Paid (GBP)')}${sortLink('calls', 'Calls')}${sortLink('likely_victims', 'Likely victims')}
          ${sortLink('harmed_victims', 'Harmed')}${sortLink('linked_accounts', 'Linked')}
          <th scope="col">Crew</th>
          ${sortLink('last_activity', 'Last active')}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>
                <a href="/suspects/${encodeURIComponent(String(r.account_id))}">${r.account_id}</a>
              </td>
              <td class="num">${fmt(r.score)}</td>
              <td>${r.priority}</td>
              <td>${r.country}</td>
              <td class="num">${fmt(r.paid_gbp)}</td>
              <td class="num">${fmt(r.calls)}</td>
              <td class="num">${fmt(r.likely_victims)}</td>
              <td class="num">${fmt(r.harmed_victims)}</td>
              <td class="num">${fmt(r.linked_accounts)}</td>
              <td>
                ${r.crew_id ? (rights.crews ? html`<a href="/crews/${encodeURIComponent(String(r.crew_id))}">${r.crew_id}</a>` : r.crew_id) : ''}
              </td>
              <td>${fmt(r.last_activity).slice(0, 10)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${pager('/suspects', query, q.page, total, PAGE_SIZE)}`;
}

/** One suspect's page (without its notes, which change while the console runs). */
export function suspectPage(
  id: string,
  s: SuspectPage,
  page: number,
  rights: Rights,
  sealer: Sealer,
): Html {
  const r = s.suspect;
  const maxPoints = Math.max(1e-9, ...s.breakdown.map((b) => b.points));
  const crews = rights.crews;
  return html` <p class="lede">
      Score
      <strong>${fmt(r.score)}</strong
      >${r.priority ? html` · priority: <strong>${r.priority}</strong>` : ''} · registered in
      ${r.country || 'an unknown country'} as “${r.username}” on ${fmt(r.created_at).slice(0, 10)},
      plan ${r.plan}
      ${r.crew_id && crews ? html` · crew <a href="/crews/${encodeURIComponent(String(r.crew_id))}">${r.crew_id}</a>` : ''}
    </p>
    <section aria-labelledby="score-h">
      <h2 id="score-h">Score, component by component</h2>
      <p class="note">${SCORE_FORMULA}</p>
      <table class="data breakdown">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col">Value</th>
            <th scope="col">Points</th>
            <th scope="col"><span class="visually-hidden">Share</span></th>
          </tr>
        </thead>
        <tbody>
          ${s.breakdown.map(
            (b) =>
              html`<tr>
                <th scope="row">${b.component}</th>
                <td class="num">${fmt(b.value)}</td>
                <td class="num">${fmt(b.points)}</td>
                <td>
                  <meter
                    min="0"
                    max="${maxPoints}"
                    value="${b.points}"
                    aria-label="${b.component} points"
                  >
                    ${fmt(b.points)}
                  </meter>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${
      crews && r.crew_id
        ? html`<section aria-labelledby="graph-h">
            <h2 id="graph-h">Crew ${r.crew_id}</h2>
            <p class="note">
              Accounts and the identifiers they share. Scroll to zoom, drag to pan, click an account
              to open it; “Expand” adds its links outside the crew.
            </p>
            <div
              class="graph"
              id="crew-graph"
              data-src="/crews/${encodeURIComponent(String(r.crew_id))}/graph.json"
              data-focus="account:${id}"
              role="img"
              aria-label="Graph of crew ${r.crew_id}"
            ></div>
            <ul class="legend">
              ${NODE_TYPES.map((t) => html`<li><span class="swatch swatch-${t}"></span>${t}</li>`)}
            </ul>
          </section>`
        : ''
    }
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Over time</h2>
      <p>
        ${s.hoursWithCalls.toLocaleString('en-GB')} hours with calls; peak
        ${fmt(r.peak_calls_per_minute)} calls in a minute.
        <a href="/suspects/${encodeURIComponent(id)}/timeline"
          >Its calls, payments, logins and captures on a timeline</a
        >.
      </p>
    </section>
    <section aria-labelledby="pay-h">
      <h2 id="pay-h">Payments</h2>
      <table class="data">
        ${thead(['Paid at', 'GBP', 'How valued', 'Amount', 'Wallet', 'Plan'])}
        <tbody>
          ${s.payments.map(
            (p) =>
              html`<tr>
                <td>${fmt(p.paid_at)}</td>
                <td class="num">${fmt(p.value_gbp)}</td>
                <td>
                  ${
                    p.basis === 'rate'
                      ? html`at ${fmt(p.rate)} GBP per ${p.currency} on ${fmt(p.rate_day)}`
                      : p.basis === 'stated'
                        ? 'as the service stated it'
                        : p.basis === 'gbp'
                          ? 'paid in pounds'
                          : html`<strong>not valued</strong>:
                              ${String(p.not_valued ?? '').replaceAll('_', ' ')}`
                  }
                </td>
                <td class="num">${fmt(p.amount)} ${p.currency}</td>
                <td><code>${p.btc_address}</code></td>
                <td>${p.plan}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    <section aria-labelledby="logins-h">
      <h2 id="logins-h">Logins</h2>
      <table class="data">
        ${thead(['IP', 'User agent', 'Logins', 'First', 'Last'])}
        <tbody>
          ${s.logins.map(
            (l) =>
              html`<tr>
                <td><code>${l.ip}</code></td>
                <td>${l.user_agent}</td>
                <td class="num">${fmt(l.logins)}</td>
                <td>${fmt(l.first_seen)}</td>
                <td>${fmt(l.last_seen)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${
      crews
        ? html`<section aria-labelledby="links-h">
            <h2 id="links-h">Linked accounts and the evidence of each link</h2>
            <table class="data">
              ${thead(['Account', 'Shared', 'Identifier', 'First seen', 'Last seen'])}
              <tbody>
                ${s.links.map(
                  (l) =>
                    html`<tr>
                      <td>
                        <a href="/suspects/${encodeURIComponent(String(l.account_id))}"
                          >${l.account_id}</a
                        >
                      </td>
                      <td>${l.type}</td>
                      <td><code>${l.value}</code></td>
                      <td>${fmt(l.first_seen)}</td>
                      <td>${fmt(l.last_seen)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : ''
    }
    <section aria-labelledby="victims-h">
      <h2 id="victims-h">Victims it reached</h2>
      <table class="data">
        ${thead(['Number', 'Country', 'Tier', 'Calls', 'Connected (s)', 'First call'])}
        <tbody>
          ${s.victims.map(
            (v) =>
              html`<tr>
                <td>
                  ${rights.victims ? html`<a href="/victims/${sealer.seal(String(v.number))}">${maskNumber(String(v.number))}</a>` : maskNumber(String(v.number))}
                </td>
                <td>${v.country}</td>
                <td>${v.tier}</td>
                <td class="num">${fmt(v.calls)}</td>
                <td class="num">${fmt(v.connected_seconds)}</td>
                <td>${fmt(v.first_call_at)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${pager(`/suspects/${encodeURIComponent(id)}`, {}, page, s.victimsTotal, PAGE_SIZE)}
    </section>`;
}
