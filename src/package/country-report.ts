/**
 * The human-readable report inside a country's package: one self-contained HTML page saying
 * what the package holds for the partner, its suspects by score with how their jurisdiction
 * was decided, their crews, and how to check the package. Everything seized is escaped.
 */
import { html, type Html } from '../shared/html.ts';
import type { SliceData } from './slice-types.ts';

const SHOWN = 100;

export function countryReport(d: SliceData, tables: Record<string, number>): string {
  const top = [...d.suspects].sort(
    (a, b) => b.score - a.score || (a.account_id < b.account_id ? -1 : 1),
  );
  const crews = new Map<string, { size: number; here: number }>();
  for (const c of d.crews) {
    const k = crews.get(c.crew_id) ?? { size: c.crew_size, here: 0 };
    k.here++;
    crews.set(c.crew_id, k);
  }
  const rows: Html[] = top.slice(0, SHOWN).map(
    (s) =>
      html`<tr>
        <td>${s.account_id}</td>
        <td>${s.username ?? ''}</td>
        <td class="n">${s.score.toFixed(2)}</td>
        <td>${s.priority || '—'}</td>
        <td class="n">${s.calls.toLocaleString('en-GB')}</td>
        <td class="n">${s.victims.toLocaleString('en-GB')}</td>
        <td>${s.declared_country ?? '—'} (declared, weak)</td>
      </tr>`,
  );
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Evidence package for ${d.partner} (${d.country})</title>
        <style>
          body {
            font:
              15px/1.45 system-ui,
              sans-serif;
            max-width: 60rem;
            margin: 2rem auto;
            padding: 0 1rem;
            color: #0b0c0c;
          }
          table {
            border-collapse: collapse;
            width: 100%;
            font-size: 13px;
          }
          th,
          td {
            border-bottom: 1px solid #ccc;
            padding: 0.3rem 0.5rem;
            text-align: left;
            vertical-align: top;
          }
          td.n,
          th.n {
            text-align: right;
            font-variant-numeric: tabular-nums;
          }
          .note {
            background: #fff7bf;
            padding: 0.6rem 1rem;
          }
        </style>
      </head>
      <body>
        <h1>Evidence package for ${d.partner} (${d.country})</h1>
        <p>Case ${d.caseId}. Package ${d.packageId}, made ${d.created}.</p>
        <h2>Summary</h2>
        <p>
          This package holds the part of the case that belongs to ${d.country}:
          ${d.suspects.length.toLocaleString('en-GB')} suspect accounts whose jurisdiction is
          ${d.country}, their ${tables.payments?.toLocaleString('en-GB')} payments,
          ${tables.logins?.toLocaleString('en-GB')} logins and
          ${tables.calls?.toLocaleString('en-GB')} calls, ${crews.size.toLocaleString('en-GB')}
          crews they belong to, ${tables.links?.toLocaleString('en-GB')} links to other accounts
          with their evidence, ${tables.victims?.toLocaleString('en-GB')} victims in ${d.country},
          and ${d.counts.reports.toLocaleString('en-GB')} victims' reports whose authors agreed to
          their being shared with other police forces.
        </p>
        <p class="note">
          A suspect is in this package when the evidence places its user in ${d.country}: the
          countries of the addresses it logged in and paid from (VPN, hosting and Tor addresses left
          out), its phone number, and the country it declared when it signed up, which a fraudster
          chooses. Each suspect's basis and its strength are in the slice; a suspect placed by its
          declared country alone is marked weak. Victims and accounts of other countries appear only
          as pseudonyms (<code>p-…</code>) with their country; the same pseudonym means the same
          person or account in every package to ${d.country}.
        </p>
        <h2>
          Suspects by
          score${top.length > SHOWN ? html` (the first ${SHOWN} of ${top.length.toLocaleString('en-GB')})` : ''}
        </h2>
        <table>
          <thead>
            <tr>
              <th>Account</th>
              <th>User name</th>
              <th class="n">Score</th>
              <th>Priority</th>
              <th class="n">Calls</th>
              <th class="n">Victims</th>
              <th>Jurisdiction</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
        <h2>Crews</h2>
        <table>
          <thead>
            <tr>
              <th>Crew</th>
              <th class="n">Members in ${d.country}</th>
              <th class="n">Members elsewhere</th>
            </tr>
          </thead>
          <tbody>
            ${[...crews].map(
              ([id, c]) =>
                html`<tr>
                  <td>${id}</td>
                  <td class="n">${c.here}</td>
                  <td class="n">${c.size - c.here}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        <h2>How to check this package</h2>
        <ol>
          <li>
            <code>manifest.jws</code> is the list of every file with its size and SHA-256, signed
            (JWS, EdDSA) with the unit's key in <code>unit-key.pem</code>; compare the key's
            fingerprint (the <code>kid</code>) with the one the unit gave you.
          </li>
          <li>
            <code>audit/</code> holds the unit's audit log checkpoint and proofs that this package's
            request, approval and build are in that log.
          </li>
          <li><code>unspoof package verify</code> checks all of this and says what holds.</li>
        </ol>
      </body>
    </html> `;
  return page.toString();
}
