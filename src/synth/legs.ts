/**
 * How a call ended, as switches record it (docs/switch-records.md §1–§2): the deciding leg's
 * outcome — answered or not, a few records that contradict themselves — and the other legs of a
 * forked dial. The generator keeps the deciding leg in `row` (leg 0) by construction: it is the
 * connected leg with the most billed seconds (strictly), or, when no leg connected, a leg with
 * the same number and no answer time, so the truth's tier is the row's whichever leg an ingest
 * takes first among unconnected ones.
 */
import { DISPOSITIONS, type CallRow, type CallsFormat, type Outcome } from './callrows.ts';
import {
  ANSWER_RATE,
  CONFLICT_SHARE,
  DISPOSITION_CASE_SHARE,
  LONG_CALL_SHARE,
  SWITCH_LEG_SHARE,
} from './params.ts';
import type { Rng } from './rng.ts';

/** Sets answer, end, billsec, the disposition and connection from the row's start. */
export function outcome(r: Rng, row: CallRow, format: CallsFormat): void {
  row.hideAnswer = false;
  row.dispo = null;
  row.conflict = false;
  if (r.chance(ANSWER_RATE)) {
    row.outcome = 0;
    row.connected = true;
    row.answer = row.start + r.int(3, 25);
    row.billsec = r.chance(LONG_CALL_SHARE)
      ? 60 + Math.min(3540, Math.floor(r.exp(240)))
      : Math.min(59, 1 + Math.floor(r.exp(15)));
    row.end = row.answer + row.billsec;
    // FreeSWITCH records a hangup cause: connected is its answer time, no conflict possible.
    if (format !== 'freeswitch' && r.chance(CONFLICT_SHARE)) conflict(r, row);
    // An Asterisk leg that rang no callee's channel (an IVR's: Playback, VoiceMail, Hangup)
    // connected to nobody, ANSWERED or not (§2).
    if (format === 'asterisk' && row.lastApp !== 'Dial') row.connected = false;
  } else {
    const u = r.float();
    row.outcome = u < 0.7 ? 1 : u < 0.9 ? 2 : u < 0.97 ? 3 : 4;
    row.connected = false;
    row.answer = -1;
    row.billsec = 0;
    row.end = row.start + ringSeconds(r, row.outcome);
  }
  if (format === 'canonical' && r.chance(DISPOSITION_CASE_SHARE)) {
    const d = DISPOSITIONS[row.outcome]!;
    row.dispo = r.chance(0.5)
      ? d.toLowerCase()
      : d.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase());
  }
}

/** How long an unanswered leg rang. */
function ringSeconds(r: Rng, o: Outcome): number {
  return o === 1 ? r.int(10, 45) : o === 2 ? r.int(1, 8) : r.int(0, 3);
}

/**
 * §2's two contradictions: mostly BUSY or NO ANSWER with an answer time and billed seconds (not
 * connected, whatever the times say), else ANSWERED without an answer time (connected).
 */
function conflict(r: Rng, row: CallRow): void {
  row.conflict = true;
  if (r.chance(0.75)) {
    row.outcome = r.chance(0.5) ? 2 : 1;
    row.connected = false;
  } else {
    row.hideAnswer = true;
  }
}

export function copyRow(from: CallRow, to: CallRow): void {
  Object.assign(to, from);
}

/**
 * Fills `legs` with 1–2 other legs of the forked dial whose deciding leg is `main` (never a
 * conflicting one: which leg an ingest orders first must not change the truth) and returns how
 * many. When `main` connected: legs that rang and were cancelled when it was answered, or were
 * busy; sometimes one answered for fewer seconds; sometimes one BUSY with more billed seconds
 * than `main` and an answer time (a conflict: not connected, so it never decides). Otherwise
 * every leg went unanswered, none with an answer time — but in Asterisk sometimes one that the
 * switch itself answered (a `Congestion` or `Hangup` leg: ANSWERED, no callee's channel, so not
 * connected either, §2; the legs dial the same number, so whichever an ingest orders first
 * among the unconnected decides the same call).
 */
export function forkLegs(r: Rng, main: CallRow, legs: CallRow[], asterisk: boolean): number {
  const n = r.chance(0.7) ? 1 : 2;
  const switchLeg =
    asterisk && !main.connected && main.lastData === '' && r.chance(SWITCH_LEG_SHARE)
      ? r.int(0, n - 1)
      : -1;
  for (let k = 0; k < n; k++) {
    const leg = legs[k]!;
    copyRow(main, leg);
    leg.leg = k + 1;
    leg.dispo = null;
    leg.conflict = false;
    leg.answer = -1;
    leg.billsec = 0;
    leg.connected = false;
    const u = r.float();
    if (k === switchLeg) {
      leg.lastApp = r.chance(0.5) ? 'Congestion' : 'Hangup';
      leg.lastData = '';
      leg.outcome = 0;
      leg.answer = main.start + r.int(1, 8);
      leg.billsec = r.int(0, 3);
      leg.end = leg.answer + leg.billsec;
    } else if (main.connected && u < 0.2 && main.billsec >= 2) {
      leg.outcome = 0;
      leg.connected = true;
      leg.answer = main.start + r.int(3, 25);
      leg.billsec = r.int(1, main.billsec - 1);
      leg.end = leg.answer + leg.billsec;
    } else if (main.connected && u < 0.35) {
      leg.outcome = 2;
      leg.conflict = true;
      leg.answer = main.start + r.int(2, 20);
      leg.billsec = main.billsec + r.int(1, 120);
      leg.end = leg.answer + leg.billsec;
    } else if (main.connected && u < 0.8) {
      // Rang until the other leg was answered: the switch cancelled it then.
      leg.outcome = 1;
      leg.end = main.answer;
    } else {
      leg.outcome = r.chance(0.6) ? 2 : r.chance(0.8) ? 1 : 3;
      leg.end = main.start + ringSeconds(r, leg.outcome);
    }
  }
  return n;
}
