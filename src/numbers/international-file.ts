/**
 * The international forms of a staged column, file to file (ingest/numbers.ts): one form per
 * line in, `form,e164,country,status,reason` per line out. Each is `+` and digits and distinct:
 * `parseStripped` is what the normaliser calls for such a number, once there is no word to
 * recognise and nothing to strip, and its cache only costs when every number is new (1M numbers
 * took 2.6 s through the normaliser).
 *
 * The forms are answered and written a block at a time: holding the million forms and answers
 * at once left half a gigabyte in the ingest's heap beside DuckDB until the ingest ended
 * (nothing runs on this thread to collect it while DuckDB inserts). A small block dies young:
 * with 1,024 forms a block, 1M forms take 0.6 s; with 65,536, whose answers outlive the young
 * generation, the collector doubles that.
 */
import fs from 'node:fs';
import { parseStripped } from './normalise.ts';

const INTERNATIONAL = /^\+[0-9]+$/;
const BLOCK = 1024;

/**
 * How many forms were answered into `answerFile`; null when a line is not `+` and digits (the
 * caller removes what was written).
 */
export function normaliseInternationalFile(candFile: string, answerFile: string): number | null {
  const text = fs.readFileSync(candFile, 'utf8');
  const fd = fs.openSync(answerFile, 'w');
  try {
    let count = 0;
    let block: string[] = [];
    for (let start = 0; start < text.length;) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      const form = text.slice(start, end);
      start = end + 1;
      if (!INTERNATIONAL.test(form)) return null;
      const r = parseStripped(form, null);
      // No value needs quoting: a form is `+` and digits, an answer's number too, and its
      // country, status and reason are codes.
      const reason = r.status === 'quarantine' ? r.reason : '';
      block.push(`${form},${r.e164 ?? ''},${r.country ?? ''},${r.status},${reason}\n`);
      count++;
      if (block.length === BLOCK) {
        fs.writeSync(fd, block.join(''));
        block = [];
      }
    }
    if (block.length > 0) fs.writeSync(fd, block.join(''));
    return count;
  } finally {
    fs.closeSync(fd);
  }
}
