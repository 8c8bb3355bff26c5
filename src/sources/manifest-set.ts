/**
 * What a manifest source hands to admission: each object once, plus every problem found
 * while reading. Sources fill `metadata.creationTimestamp` on triggers that lack one.
 */
import type { ManifestError } from '../model/issues.js';
import type { HostGroup, HTTPTrigger, Tenant } from '../model/resources.js';

export interface ManifestSet {
  readonly triggers: readonly HTTPTrigger[];
  readonly hostGroups: readonly HostGroup[];
  readonly tenants: readonly Tenant[];
  /** Parse, schema and duplicate-object errors; the objects they concern are left out. */
  readonly errors: readonly ManifestError[];
}
