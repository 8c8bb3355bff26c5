/** Where admission gets its manifests: a watched directory today, an admin API or Kubernetes later. */
import type { ManifestSet } from './manifest-set.js';

export interface ManifestSource {
  /** Loads once, returns the first set, then calls onChange with each later, different set. */
  start(onChange: (set: ManifestSet) => void): Promise<ManifestSet>;
  /** Stops watching; no onChange call follows once this resolves. */
  close(): Promise<void>;
}
