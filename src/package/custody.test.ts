/**
 * The chain-of-custody graph: the fixture's graph is byte for byte the golden file
 * (test/golden/package/custody.jsonld; UPDATE_GOLDEN=1 rewrites it, then read the diff), and it
 * conforms to CASE 1.4.0 / UCO 1.4.0's SHACL shapes (shacl-engine, SPARQL constraints included),
 * while a graph with a hash's method taken out, a size written as a string or a blank node does
 * not.
 * The validation is test/case-uco.ts's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shacl, type Finding } from '../../test/case-uco.ts';
import { golden } from '../../test/golden.ts';
import { sliceFixture } from '../../test/package-fixture.ts';
import { custodyGraph, type CustodyGraph } from './custody.ts';

/** A `kb:` id as the IRI it stands for. */
function expand(id: unknown): string {
  return String(id).replace(/^kb:/, `urn:unspoof:${sliceFixture().packageId}:`);
}

/** The graph's nodes of the given type, nested ones included, in document order. */
function nodesOf(g: CustodyGraph, type: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if (o['@type'] === type) found.push(o);
    Object.values(o).forEach(walk);
  };
  walk(g['@graph']);
  return found;
}

describe('custodyGraph', () => {
  it('writes the fixture as the golden JSON-LD', () => {
    const got = `${JSON.stringify(custodyGraph(sliceFixture()), null, 2)}\n`;
    golden('package/custody.jsonld', got);
  });

  it('names the partner, the files and each audit entry, and no suspect', () => {
    const text = JSON.stringify(custodyGraph(sliceFixture()));
    for (const s of ['Politie NL (test)', '"NL"', 'calls.csv', 'audit log entry 22']) {
      assert.ok(text.includes(s), s);
    }
    for (const s of ['acct-00', 'tulip', '+316', '192.0.2.', 'bc1q']) {
      assert.ok(!text.includes(s), s);
    }
  });

  it('conforms to the CASE 1.4.0 / UCO 1.4.0 shapes', async () => {
    const { conforms, text } = await shacl(custodyGraph(sliceFixture()));
    assert.ok(conforms, `does not conform:\n${text}`);
  });

  // One graph with three faults (one validation, not three: the SPARQL constraints cost seconds
  // a run, so the slice is cut to one file and one step): a hash without its method, a size
  // written as a string, and a facet as a blank node, which only UCO's SPARQL constraint catches.
  it('does not conform without a hash method, with a size as a string, or a blank node', async () => {
    const d = sliceFixture();
    const g = custodyGraph({ ...d, files: d.files.slice(0, 1), steps: d.steps.slice(0, 1) });
    const [hash] = nodesOf(g, 'uco-types:Hash');
    const [fileFacet] = nodesOf(g, 'uco-observable:FileFacet');
    const [contentFacet] = nodesOf(g, 'uco-observable:ContentDataFacet');
    assert.ok(hash && fileFacet && contentFacet);
    delete hash['uco-types:hashMethod'];
    fileFacet['uco-observable:sizeInBytes'] = String(fileFacet['uco-observable:sizeInBytes']);
    delete contentFacet['@id'];

    const { conforms, found, text } = await shacl(g);
    assert.equal(conforms, false);
    const has = (focus: string, what: (f: Finding) => boolean) =>
      assert.ok(
        found.some((f) => f.severity === 'Violation' && f.focus === focus && what(f)),
        `no such violation of ${focus} in:\n${text}`,
      );
    has(expand(hash['@id']), (f) => f.path.endsWith('/types/hashMethod'));
    has(expand(fileFacet['@id']), (f) => f.path.endsWith('/observable/sizeInBytes'));
    has('_:', (f) => /not be blank nodes/.test(f.message));
  });
});
