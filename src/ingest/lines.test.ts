import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { LineMap } from './lines.ts';

test('property: accepted positions and refused records map to the physical line they start on', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.record({ rejected: fc.boolean(), newlines: fc.nat(3) }), { maxLength: 60 }),
      (header, records) => {
        const first = header ? 2 : 1;
        // Brute force: walk the file.
        let line = first;
        const truth: Array<{ rejected: boolean; line: number; record: number }> = [];
        records.forEach((r, i) => {
          truth.push({ rejected: r.rejected, line, record: first + i });
          line += 1 + r.newlines;
        });
        const map = new LineMap(
          first,
          truth.filter((t) => t.rejected).map((t) => t.record),
        );
        const accepted = truth.filter((t) => !t.rejected);
        map.setMultiline(
          records
            .map((r, i) => ({ record: first + i, newlines: r.newlines }))
            .filter((m) => m.newlines > 0),
        );
        accepted.forEach((t, ord) => {
          assert.equal(map.record(ord), t.record);
          assert.equal(map.line(map.record(ord)), t.line);
        });
        for (const t of truth.filter((x) => x.rejected)) assert.equal(map.line(t.record), t.line);
      },
    ),
  );
});
