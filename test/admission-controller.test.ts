import assert from 'node:assert/strict';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { AdmissionController, type AdmissionUpdate } from '../src/control/admission-controller.js';
import type { HTTPTrigger } from '../src/model/resources.js';
import type { ManifestSet } from '../src/sources/manifest-set.js';
import type { ManifestSource } from '../src/sources/manifest-source.js';
import { StateFileError } from '../src/util/atomic-file.js';
import { DEFAULT_GROUP, owners, reasons, statusOf } from './helpers/admission.js';
import { minutes, tenant, trigger } from './helpers/build-manifests.js';
import { EventQueue } from './helpers/event-queue.js';
import { DEFAULT_HOSTGROUP_YAML, triggerYaml } from './helpers/manifest-yaml.js';
import { tmpDir } from './helpers/tmp-dir.js';
import { watchAndAdmit } from './helpers/watched-admission.js';

const HOST = 'shop.example.com';

/** A source the test drives by hand. */
class PushSource implements ManifestSource {
  started = false;
  #onChange: ((set: ManifestSet) => void) | undefined;
  constructor(readonly first: ManifestSet) {}
  async start(onChange: (set: ManifestSet) => void): Promise<ManifestSet> {
    this.started = true;
    this.#onChange = onChange;
    return this.first;
  }
  push(set: ManifestSet): void {
    this.#onChange!(set);
  }
  async close(): Promise<void> {}
}

function setOf(triggers: HTTPTrigger[], extra: Partial<ManifestSet> = {}): ManifestSet {
  return { triggers, hostGroups: [DEFAULT_GROUP], tenants: [], errors: [], ...extra };
}

async function startPushed(t: TestContext, first: ManifestSet, dataDir?: string) {
  const source = new PushSource(first);
  const updates = new EventQueue<AdmissionUpdate>();
  const controller = new AdmissionController({ source, dataDir: dataDir ?? (await tmpDir(t)), onUpdate: updates.push });
  const firstUpdate = await controller.start();
  assert.equal(await updates.next(0), firstUpdate);
  return { source, updates, controller, first: firstUpdate };
}

/** A manifest directory, a data dir and a clock for first sightings, shared by restarts. */
async function fixture(t: TestContext) {
  const root = await tmpDir(t);
  const dataDir = await tmpDir(t);
  let clock = 0;
  await writeFile(join(root, 'groups.yaml'), DEFAULT_HOSTGROUP_YAML);
  return {
    root,
    dataDir,
    /** Writes `file` claiming HOST for trigger `id`, first seen at minute `at`. */
    claim: (file: string, id: string, at: number) => {
      clock = at;
      return writeFile(join(root, file), triggerYaml(id, HOST));
    },
    remove: (file: string) => unlink(join(root, file)),
    start: () => watchAndAdmit(t, { root, dataDir, now: () => new Date(minutes(clock)) }),
  };
}

function createdAt(update: AdmissionUpdate, id: string): string | undefined {
  return update.manifests.triggers.find((t) => `${t.metadata.namespace}/${t.metadata.name}` === id)?.metadata.creationTimestamp;
}

describe('AdmissionController with a watched directory', () => {
  it('a restart with the same data dir keeps creation times and host ownership', async (t) => {
    const f = await fixture(t);
    await f.claim('z.yaml', 'team-z/old', 1);
    const before = await f.start();
    assert.deepEqual(owners(before.first.result), { [HOST]: 'team-z' });
    await f.claim('a.yaml', 'team-a/new', 2);
    assert.deepEqual(reasons(statusOf((await before.updates.next()).result, 'team-a/new')), ['HostnameConflict']);
    await before.close();

    const after = await f.start();
    // Both were first seen before this start; were their times lost, team-a/new would win on its name.
    assert.equal(createdAt(after.first, 'team-z/old'), minutes(1));
    assert.equal(createdAt(after.first, 'team-a/new'), minutes(2));
    assert.deepEqual(owners(after.first.result), { [HOST]: 'team-z' });
    assert.deepEqual(reasons(statusOf(after.first.result, 'team-a/new')), ['HostnameConflict']);
  });

  it('hands a host over when its owner deletes its last trigger; a trigger re-created later is newer', async (t) => {
    const f = await fixture(t);
    await f.claim('z.yaml', 'team-z/x', 1);
    const watched = await f.start();
    await f.claim('a.yaml', 'team-a/y', 2);
    assert.deepEqual(reasons(statusOf((await watched.updates.next()).result, 'team-a/y')), ['HostnameConflict']);
    await f.remove('z.yaml');
    const handedOver = await watched.updates.next();
    assert.deepEqual(owners(handedOver.result), { [HOST]: 'team-a' });
    assert.deepEqual(reasons(statusOf(handedOver.result, 'team-a/y')), []);
    await f.claim('z.yaml', 'team-z/x', 3);
    const recreated = await watched.updates.next();
    assert.equal(createdAt(recreated, 'team-z/x'), minutes(3));
    assert.deepEqual(owners(recreated.result), { [HOST]: 'team-a' });
    assert.deepEqual(reasons(statusOf(recreated.result, 'team-z/x')), ['HostnameConflict']);
  });

  it('the owner keeps its host while any of its triggers claims it, across a restart, though a rival is older than that trigger', async (t) => {
    const f = await fixture(t);
    await f.claim('z-first.yaml', 'team-z/first', 1);
    const before = await f.start();
    await f.claim('a.yaml', 'team-a/rival', 2);
    await before.updates.next();
    await f.claim('z-second.yaml', 'team-z/second', 3);
    await before.updates.next();
    await f.remove('z-first.yaml');
    const kept = await before.updates.next();
    assert.deepEqual(owners(kept.result), { [HOST]: 'team-z' });
    assert.deepEqual(reasons(statusOf(kept.result, 'team-a/rival')), ['HostnameConflict']);
    await before.close();

    // By age alone team-a/rival (minute 2) beats team-z/second (minute 3): only the saved owners keep team-z.
    const after = await f.start();
    assert.deepEqual(owners(after.first.result), { [HOST]: 'team-z' });
    await f.remove('z-second.yaml');
    assert.deepEqual(owners((await after.updates.next()).result), { [HOST]: 'team-a' });
    assert.deepEqual(JSON.parse(await readFile(join(f.dataDir, 'owners.json'), 'utf8')), { version: 1, owners: { [HOST]: 'team-a' } });
  });
});

describe('AdmissionController', () => {
  it('publishes only when the table, a status or the manifest errors changed', async (t) => {
    const x = trigger('team-a/x', HOST, { created: 1 });
    const pushed = await startPushed(t, setOf([x]));
    assert.equal(pushed.first.previous, undefined);
    pushed.source.push(setOf([x], { tenants: [tenant('team-a', {})] })); // a policy that restricts nothing
    const error = { file: 'b.yaml', doc: 1, field: '', message: 'syntax error' };
    pushed.source.push(setOf([x], { errors: [error] }));
    const withError = await pushed.updates.next();
    assert.deepEqual(withError.manifests.errors, [error]);
    assert.equal(withError.previous, pushed.first.result);
    assert.equal(withError.result.table.version, pushed.first.result.table.version);
    pushed.source.push(setOf([x, trigger('team-b/y', HOST, { created: 2 })], { errors: [error] }));
    const conflict = await pushed.updates.next();
    assert.deepEqual(reasons(statusOf(conflict.result, 'team-b/y')), ['HostnameConflict']);
    assert.equal(pushed.controller.current(), conflict);
    assert.deepEqual(await pushed.updates.drainAfter(50), []);
  });

  it('of a burst of sets only the newest is admitted, and settled() waits for it', async (t) => {
    const pushed = await startPushed(t, setOf([]));
    for (let i = 1; i <= 20; i += 1) {
      pushed.source.push(setOf(Array.from({ length: i }, (_, n) => trigger(`team-${n}/t`, `h${n}.example.com`, { created: n }))));
    }
    await pushed.controller.settled();
    const updates = await pushed.updates.drainAfter(20);
    assert.equal(updates.length, 1, 'twenty sets pushed at once: one admission');
    assert.equal(updates[0]!.result.statuses.length, 20);
    assert.equal(pushed.controller.current(), updates[0]);
  });

  it('saves the owners when they change, and only then', async (t) => {
    const dataDir = await tmpDir(t);
    const file = join(dataDir, 'owners.json');
    const x = trigger('team-a/x', HOST, { created: 1 });
    const pushed = await startPushed(t, setOf([x]), dataDir);
    const saved = await stat(file);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { version: 1, owners: { [HOST]: 'team-a' } });
    pushed.source.push(setOf([x, trigger('team-a/y', 'other.example.com', { created: 2 })]));
    await pushed.updates.next();
    const grown = await stat(file);
    assert.notEqual(grown.ino, saved.ino);
    pushed.source.push(setOf([x, trigger('team-a/y', 'other.example.com', { created: 2, paths: [['Prefix', '/v2']] })]));
    await pushed.updates.next();
    assert.equal((await stat(file)).ino, grown.ino, 'same owners, no write');
  });

  it('refuses to start on a corrupt owners.json, naming it, and leaves it as it is', async (t) => {
    const dataDir = await tmpDir(t);
    const file = join(dataDir, 'owners.json');
    await writeFile(file, '{"version": 1, "owners": {"shop.example.com": 7}}');
    const source = new PushSource(setOf([]));
    const controller = new AdmissionController({ source, dataDir, onUpdate: () => assert.fail('no update expected') });
    await assert.rejects(controller.start(), (error: unknown) => {
      assert.ok(error instanceof StateFileError);
      assert.equal(error.path, file);
      return true;
    });
    assert.equal(source.started, false);
    assert.equal(await readFile(file, 'utf8'), '{"version": 1, "owners": {"shop.example.com": 7}}');
  });
});
