/**
 * Lineage as W3C PROV-JSON (the 2013 member submission's document shape), and back.
 *
 * Versions, datasets and code are PROV entities; runs are activities; the people who
 * recorded versions are agents. An edge becomes the PROV relation its ends allow:
 *
 *   entity -> entity   wasDerivedFrom (generatedEntity = child, usedEntity = parent), except
 *                      `evaluated-on`, which is wasInfluencedBy: evaluation derives nothing
 *   run -> entity      wasGeneratedBy (the run produced the child)
 *   entity -> run      used (the run read the dataset, code or base model)
 *   run -> run         wasInformedBy
 *
 * Every relation record keeps Stemma's own relation, note and weight as `stemma:` attributes
 * so that reading the document back gives the same edges.
 */
import { LineageImportError, type LineageImportProblem } from './errors';
import {
  isLineageRelation,
  LINEAGE_ENTITY_KINDS,
  type LineageEdge,
  type LineageEntityKind,
  type LineageNode,
  type LineageRelation,
} from './types';

/** A PROV-JSON literal: plain, or typed as `{ $, type }`. */
export type ProvLiteral = string | number | boolean | { $: string | number; type: string };
export type ProvRecord = Record<string, ProvLiteral>;

/** The sections of a PROV-JSON document this module writes. */
export interface ProvDocument {
  prefix: Record<string, string>;
  entity?: Record<string, ProvRecord>;
  activity?: Record<string, ProvRecord>;
  agent?: Record<string, ProvRecord>;
  wasDerivedFrom?: Record<string, ProvRecord>;
  wasGeneratedBy?: Record<string, ProvRecord>;
  used?: Record<string, ProvRecord>;
  wasInformedBy?: Record<string, ProvRecord>;
  wasInfluencedBy?: Record<string, ProvRecord>;
  wasAttributedTo?: Record<string, ProvRecord>;
}

/** A node to export, with who recorded it and any plain attributes worth keeping. */
export interface ProvNodeInput extends LineageNode {
  /** Agent id of the member who recorded it. */
  attributedTo?: string;
  /** Extra facts, e.g. `{ sha256: '…', uri: '…' }`; written as `stemma:<key>`. */
  attributes?: Record<string, string | number | boolean>;
}

export interface ProvExportInput {
  nodes: ProvNodeInput[];
  edges: LineageEdge[];
  agents?: { id: string; name?: string }[];
  /** Base URI of the workspace; node, edge and agent ids are minted beneath it. */
  namespace?: string;
}

const QUALIFIED_NAME = 'prov:QUALIFIED_NAME';
const RELATION_ENDS = {
  wasDerivedFrom: ['prov:usedEntity', 'prov:generatedEntity'],
  wasInfluencedBy: ['prov:influencer', 'prov:influencee'],
  wasGeneratedBy: ['prov:activity', 'prov:entity'],
  used: ['prov:entity', 'prov:activity'],
  wasInformedBy: ['prov:informant', 'prov:informed'],
} as const;
type RelationSection = keyof typeof RELATION_ENDS;

/** Keeps an id usable as the local part of a qualified name: unsafe bytes become %XX. */
function localName(id: string): string {
  return encodeURIComponent(id).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

function qualifiedName(value: string): ProvLiteral {
  return { $: value, type: QUALIFIED_NAME };
}

function sectionFor(edge: LineageEdge, kindOf: (id: string) => LineageEntityKind) {
  const parentIsRun = kindOf(edge.from) === 'run';
  const childIsRun = kindOf(edge.to) === 'run';
  if (parentIsRun && childIsRun) return 'wasInformedBy';
  if (parentIsRun) return 'wasGeneratedBy';
  if (childIsRun) return 'used';
  return edge.relation === 'evaluated-on' ? 'wasInfluencedBy' : 'wasDerivedFrom';
}

/**
 * Writes lineage as a PROV-JSON document.
 *
 * @example
 *   const document = toProvJson({ nodes, edges, agents });
 *   download(JSON.stringify(document, null, 2), 'lineage.prov.json');
 */
export function toProvJson(input: ProvExportInput): ProvDocument {
  const base = input.namespace ?? 'urn:stemma:';
  const document: Required<ProvDocument> = {
    prefix: { stemma: `${base}ns#`, node: `${base}node/`, edge: `${base}edge/` },
    entity: {},
    activity: {},
    agent: {},
    wasDerivedFrom: {},
    wasGeneratedBy: {},
    used: {},
    wasInformedBy: {},
    wasInfluencedBy: {},
    wasAttributedTo: {},
  };
  const kinds = new Map(input.nodes.map((node) => [node.id, node.kind]));
  const kindOf = (id: string) => kinds.get(id) ?? 'version';
  const nodeKey = (id: string) => `node:${localName(id)}`;

  for (const node of input.nodes) {
    const record: ProvRecord = { 'prov:type': qualifiedName(`stemma:${node.kind}`) };
    record['prov:label'] = node.label ?? node.id;
    for (const [key, value] of Object.entries(node.attributes ?? {})) {
      record[`stemma:${key}`] = value;
    }
    document[node.kind === 'run' ? 'activity' : 'entity'][nodeKey(node.id)] = record;
  }

  const agents = new Map((input.agents ?? []).map((agent) => [agent.id, agent.name]));
  for (const node of input.nodes) {
    if (node.attributedTo && !agents.has(node.attributedTo))
      agents.set(node.attributedTo, undefined);
  }
  if (agents.size > 0) document.prefix.agent = `${base}agent/`;
  for (const [id, name] of agents) {
    document.agent[`agent:${localName(id)}`] = {
      'prov:type': qualifiedName('prov:Person'),
      'prov:label': name ?? id,
    };
  }

  for (const edge of input.edges) {
    for (const id of [edge.from, edge.to]) {
      const key = nodeKey(id);
      if (!document.entity[key] && !document.activity[key]) {
        document.entity[key] = { 'prov:type': qualifiedName('stemma:version'), 'prov:label': id };
      }
    }
    const section = sectionFor(edge, kindOf);
    const [parentField, childField] = RELATION_ENDS[section];
    const record: ProvRecord = {
      [childField]: nodeKey(edge.to),
      [parentField]: nodeKey(edge.from),
    };
    record['stemma:relation'] = edge.relation;
    if (edge.note !== undefined) record['stemma:note'] = edge.note;
    if (edge.weight !== undefined) record['stemma:weight'] = edge.weight;
    document[section][`edge:${localName(edge.id)}`] = record;
  }

  let attribution = 0;
  for (const node of input.nodes) {
    if (!node.attributedTo || node.kind === 'run') continue;
    document.wasAttributedTo[`_:attribution${++attribution}`] = {
      'prov:entity': nodeKey(node.id),
      'prov:agent': `agent:${localName(node.attributedTo)}`,
    };
  }

  for (const key of Object.keys(document) as (keyof ProvDocument)[]) {
    if (key !== 'prefix' && Object.keys(document[key]).length === 0) delete document[key];
  }
  return document;
}

const DEFAULT_RELATION: Record<RelationSection, LineageRelation> = {
  wasDerivedFrom: 'derived-from',
  wasInfluencedBy: 'evaluated-on',
  wasGeneratedBy: 'produced-by',
  used: 'derived-from',
  wasInformedBy: 'derived-from',
};

function literalText(value: ProvLiteral | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'object' ? String(value.$) : String(value);
}

/**
 * Reads lineage back from a PROV-JSON document: the nodes it names and one edge per
 * derivation, generation, usage, communication or influence. Relations written by Stemma
 * come back exactly; others get the closest Stemma relation (`derived-from` mostly).
 * Throws `LineageImportError` listing every record that lacks its ends.
 */
export function fromProvJson(document: ProvDocument): {
  nodes: LineageNode[];
  edges: LineageEdge[];
} {
  const local = (key: string, prefix: string) =>
    key.startsWith(`${prefix}:`) ? decodeURIComponent(key.slice(prefix.length + 1)) : key;
  const nodes = new Map<string, LineageNode>();
  for (const [section, kindFallback] of [
    ['entity', 'version'],
    ['activity', 'run'],
  ] as const) {
    for (const [key, record] of Object.entries(document[section] ?? {})) {
      const type = literalText(record['prov:type'])?.replace(/^stemma:/, '');
      const kind = LINEAGE_ENTITY_KINDS.find((k) => k === type) ?? kindFallback;
      const id = local(key, 'node');
      nodes.set(id, { id, kind, label: literalText(record['prov:label']) ?? id });
    }
  }

  const edges: LineageEdge[] = [];
  const problems: LineageImportProblem[] = [];
  let item = 0;
  for (const section of Object.keys(RELATION_ENDS) as RelationSection[]) {
    const [parentField, childField] = RELATION_ENDS[section];
    for (const [key, record] of Object.entries(document[section] ?? {})) {
      item++;
      const parent = literalText(record[parentField]);
      const child = literalText(record[childField]);
      if (!parent || !child) {
        const missing = parent ? childField : parentField;
        problems.push({ line: item, column: `${section} ${key}`, message: `no ${missing}` });
        continue;
      }
      const named = literalText(record['stemma:relation']);
      const relation = isLineageRelation(named) ? named : DEFAULT_RELATION[section];
      const edge: LineageEdge = {
        id: local(key, 'edge'),
        from: local(parent, 'node'),
        to: local(child, 'node'),
        relation,
      };
      const note = literalText(record['stemma:note']);
      if (note !== undefined) edge.note = note;
      const weight = record['stemma:weight'];
      if (typeof weight === 'number') edge.weight = weight;
      edges.push(edge);
    }
  }
  if (problems.length > 0) throw new LineageImportError('the PROV-JSON document', 'item', problems);

  for (const edge of edges) {
    for (const id of [edge.from, edge.to]) {
      if (!nodes.has(id)) nodes.set(id, { id, kind: 'version', label: id });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
