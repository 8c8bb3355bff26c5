/** Decodes one-document YAML texts for the model tests, asserting the outcome's shape. */
import assert from 'node:assert/strict';
import type { FieldIssue } from '../../src/model/issues.js';
import { parseManifestText } from '../../src/model/parse-file.js';
import type { Manifest, ManifestKind } from '../../src/model/resources.js';

/** The one manifest of kind `kind` in `text`, which must decode without errors. */
export function decodeOne<K extends ManifestKind>(text: string, kind: K, file: string): Extract<Manifest, { kind: K }> {
  const { manifests, errors } = parseManifestText(text, file);
  assert.deepEqual(errors, []);
  assert.equal(manifests.length, 1);
  assert.equal(manifests[0]!.kind, kind);
  return manifests[0] as Extract<Manifest, { kind: K }>;
}

/** The located issues of a one-document file that must not decode. */
export function documentIssues(text: string, file: string): FieldIssue[] {
  const { manifests, errors } = parseManifestText(text, file);
  assert.deepEqual(manifests, [], 'a document with errors must not decode');
  assert.ok(errors.length > 0, 'expected at least one error');
  for (const error of errors) assert.deepEqual([error.file, error.doc], [file, 1]);
  return errors.map(({ field, message }) => ({ field, message }));
}
