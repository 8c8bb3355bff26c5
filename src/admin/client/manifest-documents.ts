/**
 * Manifest files → the documents to send to the admin API, each checked first exactly as
 * `check` checks it (loadManifests: syntax, schema, duplicates, located as file#doc field).
 * The API wants the manifest as written, not our decoded form (which fills defaults and
 * drops fields we do not model, such as a trigger's `template`), so each valid document's
 * JSON value is read again from its file. The value is decoded once more and must name the
 * same object: a file edited between the two reads is reported, never sent half-checked.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { decodeManifest } from '../../model/decode.js';
import type { ManifestError } from '../../model/issues.js';
import { objectKey, type Manifest } from '../../model/resources.js';
import { loadManifests } from '../../sources/load-manifests.js';
import type { ManifestDocument } from './api-client.js';
import { isRecord } from './json-value.js';

export interface SourcedDocument {
  /** The decoded manifest; `source` says which file and document it came from. */
  readonly manifest: Manifest;
  readonly document: ManifestDocument;
}

export interface ManifestDocuments {
  /** HostGroups, then Tenants, then HTTPTriggers (so a trigger's refs exist when it is written); files in path order within each. */
  readonly documents: readonly SourcedDocument[];
  /** When not empty, `documents` is empty: nothing is sent from a set with an error. */
  readonly errors: readonly ManifestError[];
}

export async function loadManifestDocuments(paths: readonly string[]): Promise<ManifestDocuments> {
  const set = await loadManifests(paths);
  if (set.errors.length > 0) return { documents: [], errors: set.errors };
  const files = new Map<string, Promise<unknown[]>>();
  const documents: SourcedDocument[] = [];
  const errors: ManifestError[] = [];
  for (const manifest of [...set.hostGroups, ...set.tenants, ...set.triggers]) {
    const { file, doc } = manifest.source ?? { file: '', doc: 0 };
    let values = files.get(file);
    if (!values) files.set(file, (values = documentValues(file)));
    const value = (await values)[doc - 1];
    const again = decodeManifest(value);
    if (isRecord(value) && again.ok && objectKey(again.manifest) === objectKey(manifest)) documents.push({ manifest, document: value });
    else errors.push({ file, doc, field: '', message: 'changed while being read; run the command again' });
  }
  return errors.length > 0 ? { documents: [], errors } : { documents, errors };
}

/** Every document's JSON value, by index (an empty document is null); a file that fails now reads as none. */
async function documentValues(file: string): Promise<unknown[]> {
  try {
    return parseAllDocuments(await readFile(file, 'utf8'), { uniqueKeys: true }).map((document) => document.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return [];
  }
}
