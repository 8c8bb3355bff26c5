/** The manifest directory and the API store as one source: files win, either side's change goes out at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CombinedSource } from '../src/sources/combined-source.js';
import type { ManifestSet } from '../src/sources/manifest-set.js';
import type { ManifestSource } from '../src/sources/manifest-source.js';
import { trigger } from './helpers/build-manifests.js';

class ScriptedSource implements ManifestSource {
  onChange: ((set: ManifestSet) => void) | undefined;
  constructor(readonly first: ManifestSet) {}
  async start(onChange: (set: ManifestSet) => void): Promise<ManifestSet> {
    this.onChange = onChange;
    return this.first;
  }
  async close(): Promise<void> {}
}

const set = (triggers: ManifestSet['triggers']): ManifestSet => ({ triggers, hostGroups: [], tenants: [], errors: [] });

test('objects of both sides are admitted together; one defined by a file and the API is the file\'s, and reported', async () => {
  const fromFile = { ...trigger('team-a/shop', ['shop.example.com']), source: { file: '/m/shop.yaml', doc: 1 } };
  const files = new ScriptedSource(set([fromFile]));
  const api = new ScriptedSource(set([trigger('team-a/shop', ['other.example.com']), trigger('team-b/blog', ['blog.example.com'])]));
  const combined = new CombinedSource(files, api);
  const first = await combined.start(() => {});
  assert.deepEqual(first.triggers.map((t) => `${t.metadata.namespace}/${t.metadata.name}:${t.spec.hosts[0]!.value}`), ['team-a/shop:shop.example.com', 'team-b/blog:blog.example.com']);
  assert.equal(first.errors.length, 1);
  assert.match(first.errors[0]!.message, /\/m\/shop\.yaml defines it too, and the file's definition is in effect/);
  assert.equal(first.errors[0]!.file, 'api:HTTPTrigger team-a/shop', 'the stored copy is named as the API names objects');
  assert.equal(combined.fileDefining({ kind: 'HTTPTrigger', namespace: 'team-a', name: 'shop' }), '/m/shop.yaml');
  assert.equal(combined.fileDefining({ kind: 'HTTPTrigger', namespace: 'team-b', name: 'blog' }), undefined);
});

test('a change on either side goes out at once with the other side as it is', async () => {
  const files = new ScriptedSource(set([]));
  const api = new ScriptedSource(set([]));
  const sets: ManifestSet[] = [];
  await new CombinedSource(files, api).start((s) => sets.push(s));
  api.onChange!(set([trigger('team-b/blog', ['blog.example.com'])]));
  files.onChange!(set([trigger('team-a/shop', ['shop.example.com'])]));
  assert.deepEqual(sets.map((s) => s.triggers.map((t) => t.metadata.name)), [['blog'], ['shop', 'blog']]);
});
