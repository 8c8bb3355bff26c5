/**
 * A PUT's body → the document to store, checked exactly as a manifest file is. Pure.
 *
 * The path names the object; the body may repeat its kind, name and namespace but not
 * contradict them. Fields the server owns are dropped: above all `creationTimestamp`, since
 * trigger age decides host ownership and a tenant who could backdate a trigger could take
 * another tenant's host. `resourceVersion` (or `If-Match`) makes the write conditional.
 */
import { decodeManifest } from '../../model/decode.js';
import type { Manifest } from '../../model/resources.js';
import type { ObjectKey } from '../../store/object-key.js';
import { isJsonObject } from '../../util/atomic-file.js';
import { ApiFailure, badRequest } from './api-error.js';

export interface PreparedWrite {
  readonly key: ObjectKey;
  readonly document: Readonly<Record<string, unknown>>;
  readonly manifest: Manifest;
  readonly expectedVersion?: string;
}

/** Set by the server; a client's value is ignored (Kubernetes does the same on create). */
const SERVER_METADATA = ['creationTimestamp', 'resourceVersion', 'uid', 'generation', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export function prepareWrite(key: ObjectKey, body: unknown, ifMatch: string | undefined): PreparedWrite {
  if (!isJsonObject(body)) throw badRequest('the body must be a manifest object (apiVersion, kind, metadata, spec)');
  const kind = body['kind'] ?? key.kind;
  if (kind !== key.kind) throw invalid('kind', `must be ${JSON.stringify(key.kind)} at this path, got ${JSON.stringify(kind)}`);
  const metadata = body['metadata'] ?? {};
  if (!isJsonObject(metadata)) throw invalid('metadata', 'must be an object');
  const name = metadata['name'] ?? key.name;
  if (name !== key.name) throw invalid('metadata.name', `must be ${JSON.stringify(key.name)}, the name in the path, got ${JSON.stringify(name)}`);
  const namespace = metadata['namespace'] ?? key.namespace;
  if (namespace !== key.namespace) {
    throw invalid(
      'metadata.namespace',
      key.namespace === undefined ? `${key.kind} is cluster-scoped and has no namespace` : `must be ${JSON.stringify(key.namespace)}, the namespace in the path, got ${JSON.stringify(namespace)}`,
    );
  }
  const expectedVersion = precondition(metadata['resourceVersion'], ifMatch);
  const { status: _status, ...rest } = body;
  const cleanMetadata = Object.fromEntries(Object.entries(metadata).filter(([field]) => !SERVER_METADATA.includes(field)));
  const document = { ...rest, kind, metadata: { ...cleanMetadata, name, ...(namespace !== undefined && { namespace }) } };
  const decoded = decodeManifest(document);
  if (!decoded.ok) throw new ApiFailure(400, 'Invalid', `the ${key.kind} is invalid: ${decoded.issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`, decoded.issues);
  return { key, document, manifest: decoded.manifest, ...(expectedVersion !== undefined && { expectedVersion }) };
}

/** The version a write is conditional on: `If-Match: "12"` or `metadata.resourceVersion: "12"`; both must agree. */
export function precondition(bodyVersion: unknown, ifMatch: string | undefined): string | undefined {
  if (bodyVersion !== undefined && bodyVersion !== null && typeof bodyVersion !== 'string') {
    throw invalid('metadata.resourceVersion', 'must be a string, as the server returned it');
  }
  const header = ifMatch === undefined ? undefined : entityTag(ifMatch);
  if (header !== undefined && typeof bodyVersion === 'string' && header !== bodyVersion) {
    throw badRequest(`If-Match ${ifMatch} and metadata.resourceVersion ${JSON.stringify(bodyVersion)} disagree; send one of them`);
  }
  return header ?? (typeof bodyVersion === 'string' ? bodyVersion : undefined);
}

/** One strong entity tag, quoted or bare; `*` and lists are not versions of one object. */
function entityTag(value: string): string {
  const match = /^\s*(?:"([^"]*)"|([^\s",*]+))\s*$/.exec(value);
  const tag = match?.[1] ?? match?.[2];
  if (!tag) throw badRequest(`If-Match must be one resourceVersion such as "12", got ${JSON.stringify(value)}`);
  return tag;
}

function invalid(field: string, message: string): ApiFailure {
  return new ApiFailure(400, 'Invalid', `${field}: ${message}`, [{ field, message }]);
}
