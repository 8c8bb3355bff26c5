import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { HTTPTrigger } from '../src/model/resources.js';
import { FirstSeenStore } from '../src/sources/first-seen.js';
import type { ManifestSet } from '../src/sources/manifest-set.js';
import { StateFileError } from '../src/util/atomic-file.js';
import { minutes, trigger } from './helpers/build-manifests.js';
import { tmpDir } from './helpers/tmp-dir.js';

const NO_ERRORS: ReadonlySet<string> = new Set();

function setOf(...triggers: HTTPTrigger[]): ManifestSet {
  return { triggers, hostGroups: [], tenants: [], errors: [] };
}

/** `id`'s trigger as defined in `file`. */
function inFile(file: string, id: string, created?: number): HTTPTrigger {
  return { ...trigger(id, 'x.example.com', created === undefined ? {} : { created }), source: { file, doc: 1 } };
}

function createdAt(set: ManifestSet): Record<string, string | undefined> {
  return Object.fromEntries(set.triggers.map((t) => [`${t.metadata.namespace}/${t.metadata.name}`, t.metadata.creationTimestamp]));
}

const at = (offset: number): Date => new Date(minutes(offset));

describe('FirstSeenStore', () => {
  it('dates a trigger without creationTimestamp by its first sighting, and keeps that date', async (t) => {
    const store = await FirstSeenStore.open(await tmpDir(t));
    assert.deepEqual(createdAt(store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(1))), { 'team-a/x': minutes(1) });
    const later = store.stamp(setOf(inFile('a.yaml', 'team-a/x'), inFile('a.yaml', 'team-a/y')), NO_ERRORS, at(5));
    assert.deepEqual(createdAt(later), { 'team-a/x': minutes(1), 'team-a/y': minutes(5) });
  });

  it('leaves a declared creationTimestamp as it is', async (t) => {
    const store = await FirstSeenStore.open(await tmpDir(t));
    assert.deepEqual(createdAt(store.stamp(setOf(inFile('a.yaml', 'team-a/x', 0)), NO_ERRORS, at(9))), { 'team-a/x': minutes(0) });
  });

  it('remembers first sightings across a restart', async (t) => {
    const dataDir = await tmpDir(t);
    const before = await FirstSeenStore.open(dataDir);
    before.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(1));
    await before.save();
    const after = await FirstSeenStore.open(dataDir);
    assert.deepEqual(createdAt(after.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(7))), { 'team-a/x': minutes(1) });
  });

  it('forgets a deleted trigger, so that re-creating it makes it new', async (t) => {
    const store = await FirstSeenStore.open(await tmpDir(t));
    store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(1));
    store.stamp(setOf(), NO_ERRORS, at(2));
    assert.deepEqual(createdAt(store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(3))), { 'team-a/x': minutes(3) });
  });

  it('keeps the date of a trigger whose file is broken for now', async (t) => {
    const store = await FirstSeenStore.open(await tmpDir(t));
    store.stamp(setOf(inFile('a.yaml', 'team-a/x'), inFile('b.yaml', 'team-b/y')), NO_ERRORS, at(1));
    store.stamp(setOf(), new Set(['a.yaml']), at(2));
    const back = store.stamp(setOf(inFile('a.yaml', 'team-a/x'), inFile('b.yaml', 'team-b/y')), NO_ERRORS, at(3));
    assert.deepEqual(createdAt(back), { 'team-a/x': minutes(1), 'team-b/y': minutes(3) });
  });

  it('follows a trigger that moves to another file', async (t) => {
    const store = await FirstSeenStore.open(await tmpDir(t));
    store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(1));
    store.stamp(setOf(inFile('b.yaml', 'team-a/x')), NO_ERRORS, at(2));
    // Its recorded file is now b.yaml: b.yaml being broken protects it, a.yaml no longer does.
    store.stamp(setOf(), new Set(['b.yaml']), at(3));
    assert.deepEqual(createdAt(store.stamp(setOf(inFile('b.yaml', 'team-a/x')), NO_ERRORS, at(4))), { 'team-a/x': minutes(1) });
    store.stamp(setOf(), new Set(['a.yaml']), at(5));
    assert.deepEqual(createdAt(store.stamp(setOf(inFile('b.yaml', 'team-a/x')), NO_ERRORS, at(6))), { 'team-a/x': minutes(6) });
  });

  it('writes the file only when an entry changed', async (t) => {
    const dataDir = await tmpDir(t);
    const file = join(dataDir, 'first-seen.json');
    const store = await FirstSeenStore.open(dataDir);
    store.stamp(setOf(), NO_ERRORS, at(0));
    await store.save();
    await assert.rejects(stat(file), { code: 'ENOENT' });
    store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(1));
    await store.save();
    const written = await stat(file);
    store.stamp(setOf(inFile('a.yaml', 'team-a/x')), NO_ERRORS, at(2));
    await store.save();
    assert.equal((await stat(file)).ino, written.ino, 'an atomic rewrite would have replaced the inode');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, triggers: { 'team-a/x': { at: minutes(1), file: 'a.yaml' } } });
  });

  for (const [label, content] of [
    ['is not JSON', '{"version": 1, "triggers": {'],
    ['has the wrong shape', '{"version": 1, "triggers": {"team-a/x": {"at": "yesterday", "file": "a.yaml"}}}'],
  ] as const) {
    it(`refuses to start, naming the file and the way out, when the state file ${label}`, async (t) => {
      const dataDir = await tmpDir(t);
      const file = join(dataDir, 'first-seen.json');
      await writeFile(file, content);
      await assert.rejects(FirstSeenStore.open(dataDir), (error: unknown) => {
        assert.ok(error instanceof StateFileError);
        assert.equal(error.path, file);
        assert.ok(error.message.startsWith(`state file ${file} is `), error.message);
        assert.match(error.message, /Restore it from a backup/);
        return true;
      });
      assert.equal(await readFile(file, 'utf8'), content, 'a corrupt state file is never reset');
    });
  }
});
