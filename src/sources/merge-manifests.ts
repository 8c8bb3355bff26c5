/**
 * Parsed files → one ManifestSet in which each object appears once. Files count in path
 * order and documents in file order, so which of two definitions wins does not depend on
 * the order files were read or events arrived.
 */
import { compareStrings } from '../admission/trigger-order.js';
import type { ManifestError } from '../model/issues.js';
import { objectKey, type HostGroup, type HTTPTrigger, type Manifest, type Tenant } from '../model/resources.js';
import type { ManifestSet } from './manifest-set.js';

export interface ParsedManifestFile {
  readonly file: string;
  readonly manifests: readonly Manifest[];
  readonly errors: readonly ManifestError[];
}

export function mergeParsedFiles(files: readonly ParsedManifestFile[]): ManifestSet {
  const triggers: HTTPTrigger[] = [];
  const hostGroups: HostGroup[] = [];
  const tenants: Tenant[] = [];
  const errors: ManifestError[] = [];
  const definedAt = new Map<string, string>();
  for (const { file, manifests, errors: fileErrors } of [...files].sort((a, b) => compareStrings(a.file, b.file))) {
    const duplicates: ManifestError[] = [];
    for (const manifest of [...manifests].sort((a, b) => docIndex(a) - docIndex(b))) {
      const key = objectKey(manifest);
      const doc = docIndex(manifest);
      const first = definedAt.get(key);
      if (first !== undefined) {
        duplicates.push({ file, doc, field: 'metadata.name', message: `duplicate ${key}: already defined in ${first}` });
        continue;
      }
      definedAt.set(key, doc > 0 ? `${file}#${doc}` : file);
      if (manifest.kind === 'HTTPTrigger') triggers.push(manifest);
      else if (manifest.kind === 'HostGroup') hostGroups.push(manifest);
      else tenants.push(manifest);
    }
    // Within a file, errors read top to bottom whichever stage found them.
    errors.push(...[...fileErrors, ...duplicates].sort((a, b) => a.doc - b.doc));
  }
  return { triggers, hostGroups, tenants, errors };
}

function docIndex(manifest: Manifest): number {
  return manifest.source?.doc ?? 0;
}
