/**
 * CASE 1.4.0 / UCO 1.4.0 SHACL validation of a JSON-LD graph, in JavaScript (shacl-engine, with
 * its SPARQL constraints). The shapes are every `.ttl` under test/vectors/case-uco/ (the
 * ontologies, which carry them), without their `owl:imports`. UCO's SPARQL constraints (no
 * blank nodes; ids ending in a UUID) find the nodes they judge through
 * `$this a/rdfs:subClassOf* core:UcoThing` in the *data* graph, so the data is given the
 * ontology's `rdfs:subClassOf` triples above its nodes' types (what CASE's own validator gets by
 * mixing the ontology into the data, without validating the ontology itself, which is slow and
 * not ours to judge).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import rdf from '@rdfjs/data-model';
import rdfDataset from '@rdfjs/dataset';
import type { DatasetCore, Quad, Term } from '@rdfjs/types';
import { JsonLdParser } from 'jsonld-streaming-parser';
import { Parser } from 'n3';
// @ts-expect-error -- shacl-engine ships no type declarations; typed by Validate below
import Validator from 'shacl-engine/Validator.js';
// @ts-expect-error -- shacl-engine ships no type declarations
import { validations } from 'shacl-engine/sparql.js';

const ROOT = new URL('../', import.meta.url);
const SHAPES = new URL('test/vectors/case-uco/', ROOT);
const OWL_IMPORTS = 'http://www.w3.org/2002/07/owl#imports';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDFS_SUBCLASS = 'http://www.w3.org/2000/01/rdf-schema#subClassOf';

interface ShaclResult {
  severity: Term;
  message: Term[];
  focusNode: { term: Term };
  path: { predicates: Term[] }[] | null;
  value: { term: Term } | null;
}
type Validate = new (
  shapes: DatasetCore,
  options: { factory: typeof rdf; validations: unknown },
) => {
  validate(data: { dataset: DatasetCore }): Promise<{ conforms: boolean; results: ShaclResult[] }>;
};

/** Every ontology module's triples but its `owl:imports` (the modules are all here). */
function ontology(): Quad[] {
  const dir = fileURLToPath(SHAPES);
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ttl'))
    .sort()
    .flatMap((f) =>
      new Parser({ factory: rdf, baseIRI: `file:///${f}` }).parse(
        fs.readFileSync(path.join(dir, f), 'utf8'),
      ),
    )
    .filter((q) => q.predicate.value !== OWL_IMPORTS);
}

/** The JSON-LD's triples, offline: a remote context is refused, an unknown term is an error. */
function quadsOf(doc: object): Promise<Quad[]> {
  const parser = new JsonLdParser({
    dataFactory: rdf,
    strictValues: true,
    documentLoader: {
      load: (url: string) => Promise.reject(new Error(`no remote context: ${url}`)),
    },
  });
  const quads: Quad[] = [];
  return new Promise((resolve, reject) => {
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.end(JSON.stringify(doc));
  });
}

const ONTOLOGY = ontology();
const validator = new (Validator as Validate)(rdfDataset.dataset(ONTOLOGY), {
  factory: rdf,
  validations,
});

/** The ontology's `rdfs:subClassOf` triples from the data's types up to the top. */
function superclasses(data: Quad[]): Quad[] {
  const up = new Map<string, Quad[]>();
  for (const q of ONTOLOGY)
    if (q.predicate.value === RDFS_SUBCLASS && q.object.termType === 'NamedNode')
      up.set(q.subject.value, [...(up.get(q.subject.value) ?? []), q]);
  const todo = data.filter((q) => q.predicate.value === RDF_TYPE).map((q) => q.object.value);
  const seen = new Set<string>();
  const found: Quad[] = [];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    if (seen.has(c)) continue;
    seen.add(c);
    for (const q of up.get(c) ?? []) {
      found.push(q);
      todo.push(q.object.value);
    }
  }
  return found;
}

export interface Finding {
  severity: string;
  focus: string;
  path: string;
  value: string;
  message: string;
}

/** Validates the JSON-LD; `text` is the findings one a line, for a failing assertion. */
export async function shacl(
  doc: object,
): Promise<{ conforms: boolean; found: Finding[]; text: string }> {
  const quads = await quadsOf(doc);
  const data = rdfDataset.dataset([...quads, ...superclasses(quads)]);
  const report = await validator.validate({ dataset: data });
  const found = report.results.map((r) => ({
    severity: r.severity.value.replace(/.*#/, ''),
    focus: r.focusNode.term.termType === 'BlankNode' ? '_:' : r.focusNode.term.value,
    path: r.path?.map((s) => s.predicates.map((p) => p.value).join('|')).join('/') ?? '',
    value: r.value?.term?.value ?? '',
    message: r.message.map((m) => m.value).join(' '),
  }));
  const text = found.map((f) => Object.values(f).join(' | ')).join('\n');
  return { conforms: report.conforms, found, text };
}
