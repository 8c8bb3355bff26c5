/**
 * HTTPTrigger, in Cosmonic Control's public shape (control.cosmonic.io/v1alpha1):
 * `spec.ingress.host` plus `paths`, `spec.hostSelector`, and an inline `spec.template`
 * that the router does not use. `spec.ingress.hosts: [...]` adds aliases.
 */
import type { Decoder, Fields } from './decoder.js';
import { decodeLabels, decodeMetadata } from './decode-metadata.js';
import { describeValue, fieldPath } from './issues.js';
import { PATH_TYPES, parsePath, type PathType } from './path-match.js';
import type { DeclaredHost, DeclaredPath, HTTPTrigger, Labels } from './resources.js';

export const MAX_HOSTS_PER_TRIGGER = 16;
export const MAX_PATHS_PER_TRIGGER = 64;
export const DEFAULT_HOST_SELECTOR: Labels = Object.freeze({ hostgroup: 'default' });

const SPEC_FIELDS = ['ingress', 'hostSelector', 'template', 'replicas'] as const;
const INGRESS_FIELDS = ['host', 'hosts', 'paths'] as const;
const PATH_FIELDS = ['path', 'pathType'] as const;

export function decodeHTTPTrigger(d: Decoder, top: Fields): HTTPTrigger | undefined {
  const metadata = decodeMetadata(d, top, 'namespaced');
  const spec = d.object(top['spec'], 'spec');
  if (!spec) return undefined;
  d.knownFields(spec, 'spec', SPEC_FIELDS);
  const hostSelector = decodeHostSelector(d, spec);
  const ingress = d.object(spec['ingress'], 'spec.ingress');
  if (!ingress) return undefined;
  d.knownFields(ingress, 'spec.ingress', INGRESS_FIELDS);
  const hosts = decodeHosts(d, ingress);
  const paths = decodePaths(d, ingress);
  if (!metadata || metadata.namespace === undefined || !hostSelector || !hosts || !paths || !d.ok) return undefined;
  return {
    kind: 'HTTPTrigger',
    metadata: { ...metadata, namespace: metadata.namespace },
    spec: { hosts, paths, hostSelector },
  };
}

function decodeHostSelector(d: Decoder, spec: Fields): Labels | undefined {
  if (spec['hostSelector'] === undefined || spec['hostSelector'] === null) return DEFAULT_HOST_SELECTOR;
  const selector = decodeLabels(d, spec, 'spec', 'hostSelector');
  if (selector && Object.keys(selector).length === 0) {
    d.report('spec.hostSelector', 'must name at least one label (omit it to use {hostgroup: default})');
    return undefined;
  }
  return selector;
}

/** `host` and `hosts` together, in declaration order; the strings are judged by admission. */
function decodeHosts(d: Decoder, ingress: Fields): DeclaredHost[] | undefined {
  const hosts: DeclaredHost[] = [];
  const single = ingress['host'];
  if (single !== undefined && single !== null) {
    if (typeof single === 'string') hosts.push({ value: single, field: 'spec.ingress.host' });
    else d.report('spec.ingress.host', `must be a string, got ${describeValue(single)}`);
  }
  const many = d.stringList(ingress, 'hosts', 'spec.ingress', MAX_HOSTS_PER_TRIGGER);
  many?.forEach((value, index) => hosts.push({ value, field: `spec.ingress.hosts[${index}]` }));
  if ((single === undefined || single === null) && (ingress['hosts'] === undefined || ingress['hosts'] === null)) {
    d.report('spec.ingress.host', 'required: give spec.ingress.host or spec.ingress.hosts');
  } else if (hosts.length === 0 && many?.length === 0) {
    d.report('spec.ingress.hosts', 'must not be empty');
  }
  if (hosts.length > MAX_HOSTS_PER_TRIGGER) {
    d.report('spec.ingress.hosts', `a trigger may declare at most ${MAX_HOSTS_PER_TRIGGER} hosts, got ${hosts.length}`);
  }
  return d.ok ? hosts : undefined;
}

function decodePaths(d: Decoder, ingress: Fields): DeclaredPath[] | undefined {
  if (ingress['paths'] === undefined || ingress['paths'] === null) {
    return [{ path: '/', pathType: 'Prefix', field: 'spec.ingress.paths' }];
  }
  const items = d.list(ingress, 'paths', 'spec.ingress', MAX_PATHS_PER_TRIGGER);
  if (!items) return undefined;
  if (items.length === 0) {
    d.report('spec.ingress.paths', 'must not be empty (omit it to route every path: [{path: /, pathType: Prefix}])');
    return undefined;
  }
  const paths: DeclaredPath[] = [];
  items.forEach((item, index) => {
    const path = decodePath(d, item, fieldPath('spec.ingress.paths', index));
    if (path) paths.push(path);
  });
  return paths.length === items.length ? paths : undefined;
}

function decodePath(d: Decoder, item: unknown, field: string): DeclaredPath | undefined {
  const rule = d.object(item, field);
  if (!rule) return undefined;
  d.knownFields(rule, field, PATH_FIELDS);
  const rawType = d.string(rule, 'pathType', field, false) ?? 'Prefix';
  const pathType = PATH_TYPES.find((type) => type === rawType);
  if (!pathType) d.report(fieldPath(field, 'pathType'), `must be Prefix or Exact, got ${JSON.stringify(rawType)}`);
  const raw = d.string(rule, 'path', field, true);
  if (raw === undefined || !pathType) return undefined;
  return checkedPath(d, raw, pathType, field);
}

function checkedPath(d: Decoder, raw: string, pathType: PathType, field: string): DeclaredPath | undefined {
  const parsed = parsePath(raw, pathType);
  if (parsed.ok) return { path: parsed.path, pathType, field };
  d.report(fieldPath(field, 'path'), parsed.message);
  return undefined;
}
