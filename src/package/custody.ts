/**
 * The chain of custody of an evidence package as a CASE 1.4.0 / UCO 1.4.0 JSON-LD graph, for
 * partners whose tools read CASE: the seized files (name, size, SHA-256), each audit log step that
 * made or moved the case (who, when, on what, its entry number in `unspoof.audit/<case id>` so a
 * partner can ask for its inclusion proof), the package it led to, and the partner it is for.
 * Only SliceData's files, steps and package fields are written: no victim, no suspect.
 *
 * Node ids are `kb:<kind>-<UUIDv5 of the package id, kind and key>`: the same data gives the same
 * graph (golden-tested), and every id ends with a UUID, as UCO's shapes ask (their advisory
 * otherwise makes the graph not conform). The shapes also refuse blank nodes, so facets, hashes
 * and external references carry ids too.
 */
import crypto from 'node:crypto';
import type { SliceData, SliceFile, SliceStep } from './slice-types.ts';

type JsonNode = Record<string, unknown>;
export interface CustodyGraph {
  '@context': Record<string, string>;
  '@graph': JsonNode[];
}

/** The namespace of the ids' UUIDv5s (RFC 9562 §5.5); fixed, so ids never change. */
const NAMESPACE = Buffer.from('a60b95c7417e41b0a00f4c0a30e76fbd', 'hex');

function uuid5(name: string): string {
  const b = crypto.createHash('sha1').update(NAMESPACE).update(name).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ref = (id: string) => ({ '@id': id });
/** Audit times may come back from the database in its own text form: xsd:dateTime wants ISO. */
const dateTime = (at: string) => ({
  '@type': 'xsd:dateTime',
  '@value': new Date(at).toISOString(),
});

/** Steps whose audit entry marks the moment of a decision, not the end of a longer run. */
const DECISION = /^package_(request|approve|refuse)/;
/** Steps that read the seized files (an ingest names its files by SHA-256 in its detail). */
const READS_FILES = new Set(['ingest', 'analysis', 'analyze']);
/** Steps that make the package. */
const MAKES_PACKAGE = /^package_buil[dt]/;

export function custodyGraph(d: SliceData): CustodyGraph {
  const id = (kind: string, key: string) => `kb:${kind}-${uuid5(`${d.packageId}/${kind}/${key}`)}`;
  const files = [...d.files].sort((a, b) => a.file_id - b.file_id);
  const steps = [...d.steps].sort((a, b) => a.entry - b.entry);
  const fileId = (f: SliceFile) => id('file', `${f.file_id}/${f.sha256}`);
  const actorId = (actor: string) => id('identity', actor);
  const actionId = (s: SliceStep) => id('action', String(s.entry));
  const investigation = id('investigation', d.caseId);
  const record = id('provenance-record', d.packageId);
  const pkg = id('package', d.packageId);
  const partner = id('organization', `${d.country}/${d.partner}`);
  const location = id('location', d.country);

  const fileNodes = files.map((f) => ({
    '@id': fileId(f),
    '@type': 'uco-observable:File',
    'uco-core:description': `seized file of kind ${f.kind}: ${f.rows_loaded} rows loaded, ${f.rows_quarantined} quarantined`,
    'uco-core:hasFacet': [
      {
        '@id': id('file-facet', fileId(f)),
        '@type': 'uco-observable:FileFacet',
        'uco-observable:fileName': f.name,
        'uco-observable:sizeInBytes': f.bytes,
      },
      {
        '@id': id('content-data-facet', fileId(f)),
        '@type': 'uco-observable:ContentDataFacet',
        'uco-observable:hash': {
          '@id': id('hash', fileId(f)),
          '@type': 'uco-types:Hash',
          'uco-types:hashMethod': 'SHA256',
          'uco-types:hashValue': { '@type': 'xsd:hexBinary', '@value': f.sha256 },
        },
      },
    ],
  }));

  // What each step acted on: an ingest its files (those its detail names, else all); an analysis
  // and the build all of them (the build's results are the package and this record); a request
  // or an approval the package it decided.
  const objectsOf = (s: SliceStep): string[] => {
    if (s.action === 'ingest') {
      const named = new Set(
        (Array.isArray(s.detail.files) ? s.detail.files : []).map((f) => (f as JsonNode)?.sha256),
      );
      const read = files.filter((f) => named.has(f.sha256));
      return (read.length > 0 ? read : files).map(fileId);
    }
    if (READS_FILES.has(s.action) || MAKES_PACKAGE.test(s.action)) return files.map(fileId);
    return s.action.startsWith('package_') ? [pkg] : [];
  };
  const actionNodes = steps.map((s) => ({
    '@id': actionId(s),
    '@type': 'case-investigation:InvestigativeAction',
    'uco-core:name': s.action,
    'uco-core:description': `audit log entry ${s.entry}: ${s.action}${s.target ? ` (target ${s.target})` : ''}`,
    'uco-core:externalReference': {
      '@id': id('external-reference', actionId(s)),
      '@type': 'uco-core:ExternalReference',
      'uco-core:definingContext': `unspoof.audit/${d.caseId}`,
      'uco-core:externalIdentifier': String(s.entry),
    },
    'uco-action:performer': ref(actorId(s.actor)),
    // An entry is written once its step is done: its time is the step's end, and its start
    // too only for a decision, which takes no time.
    ...(DECISION.test(s.action) ? { 'uco-action:startTime': dateTime(s.at) } : {}),
    'uco-action:endTime': dateTime(s.at),
    ...(objectsOf(s).length > 0 ? { 'uco-action:object': objectsOf(s).map(ref) } : {}),
    ...(MAKES_PACKAGE.test(s.action) ? { 'uco-action:result': [ref(pkg), ref(record)] } : {}),
  }));

  const actors = [...new Set(steps.map((s) => s.actor))];
  return {
    '@context': {
      kb: `urn:unspoof:${d.packageId}:`,
      'case-investigation': 'https://ontology.caseontology.org/case/investigation/',
      'uco-action': 'https://ontology.unifiedcyberontology.org/uco/action/',
      'uco-core': 'https://ontology.unifiedcyberontology.org/uco/core/',
      'uco-identity': 'https://ontology.unifiedcyberontology.org/uco/identity/',
      'uco-location': 'https://ontology.unifiedcyberontology.org/uco/location/',
      'uco-observable': 'https://ontology.unifiedcyberontology.org/uco/observable/',
      'uco-types': 'https://ontology.unifiedcyberontology.org/uco/types/',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@graph': [
      {
        '@id': investigation,
        '@type': 'case-investigation:Investigation',
        'uco-core:name': d.caseId,
        'case-investigation:investigationForm': 'case',
        'uco-core:object': [ref(record)],
      },
      {
        '@id': record,
        '@type': 'case-investigation:ProvenanceRecord',
        'uco-core:description': `chain of custody of evidence package ${d.packageId} for ${d.partner}, ${d.country}`,
        'case-investigation:exhibitNumber': d.packageId,
        'uco-core:object': [...files.map(fileId), ...steps.map(actionId), pkg].map(ref),
      },
      {
        '@id': pkg,
        '@type': 'uco-observable:ObservableObject',
        'uco-core:name': `evidence package ${d.packageId}`,
        'uco-core:objectCreatedTime': dateTime(d.created),
      },
      {
        '@id': partner,
        '@type': 'uco-identity:Organization',
        'uco-core:name': d.partner,
        'uco-core:hasFacet': {
          '@id': id('address-facet', partner),
          '@type': 'uco-identity:AddressFacet',
          'uco-identity:address': ref(location),
        },
      },
      {
        '@id': location,
        '@type': 'uco-location:Location',
        'uco-core:hasFacet': {
          '@id': id('simple-address-facet', location),
          '@type': 'uco-location:SimpleAddressFacet',
          'uco-location:country': d.country,
        },
      },
      // UCO's relationship vocabulary has no word for "made for, not yet sent": an open string.
      {
        '@id': id('relationship', `${pkg}/${partner}`),
        '@type': 'uco-core:Relationship',
        'uco-core:source': ref(pkg),
        'uco-core:target': ref(partner),
        'uco-core:kindOfRelationship': 'Prepared_For',
        'uco-core:isDirectional': true,
      },
      ...actors.map((a) => ({
        '@id': actorId(a),
        '@type': 'uco-identity:Identity',
        'uco-core:name': a,
      })),
      ...fileNodes,
      ...actionNodes,
    ],
  };
}
