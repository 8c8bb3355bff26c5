import assert from 'node:assert/strict';
import { mkdir, rename, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { AdmissionUpdate } from '../src/control/admission-controller.js';
import type { ManifestSet } from '../src/sources/manifest-set.js';
import { hostEntry, owners } from './helpers/admission.js';
import { EventQueue } from './helpers/event-queue.js';
import { DEFAULT_HOSTGROUP_YAML, triggerYaml } from './helpers/manifest-yaml.js';
import { tmpDir } from './helpers/tmp-dir.js';
import { watchAndAdmit, watchDirectory } from './helpers/watched-admission.js';

function pathsOn(update: AdmissionUpdate, host: string): string[] | undefined {
  return hostEntry(update.result, host)?.routes.map((route) => route.path);
}

function hostsOf(set: ManifestSet): string[] {
  return set.triggers.flatMap((trigger) => trigger.spec.hosts.map((host) => host.value));
}

/** Starts a DirectorySource on `root` whose later sets arrive in the returned queue. */
async function startSource(t: TestContext, root: string, options: { pollIntervalMs?: number } = {}) {
  const watched = watchDirectory(t, { root, dataDir: await tmpDir(t), ...options });
  const sets = new EventQueue<ManifestSet>();
  const first = await watched.source.start(sets.push);
  return { ...watched, first, sets };
}

describe('DirectorySource', () => {
  it('keeps the admitted table current through edits, a broken file, a deletion and a bulk write', async (t) => {
    const root = await tmpDir(t);
    const file = (name: string): string => join(root, name);
    await writeFile(file('groups.yaml'), DEFAULT_HOSTGROUP_YAML);
    await writeFile(file('team-a.yaml'), triggerYaml('team-a/shop', 'shop.team-a.example.com'));
    await writeFile(file('team-b.yaml'), triggerYaml('team-b/blog', 'blog.team-b.example.com'));
    // The data dir inside the watched tree, as `serve` defaults to: its JSON must not be read as manifests.
    const watched = await watchAndAdmit(t, { root, dataDir: join(root, '.triggerway'), quietMs: 100 });
    assert.deepEqual(owners(watched.first.result), { 'blog.team-b.example.com': 'team-b', 'shop.team-a.example.com': 'team-a' });
    assert.deepEqual(watched.first.manifests.errors, []);

    await writeFile(file('team-a.yaml'), triggerYaml('team-a/shop', 'shop.team-a.example.com', { paths: ['/api'] }));
    const edited = await watched.updates.next();
    assert.equal(edited.previous, watched.first.result);
    assert.deepEqual(pathsOn(edited, 'shop.team-a.example.com'), ['/api']);

    await writeFile(file('team-b.yaml'), 'kind: HTTPTrigger\nmetadata: [oops\n');
    const broken = await watched.updates.next();
    assert.deepEqual(
      broken.manifests.errors.map((error) => [error.file, error.doc]),
      [[file('team-b.yaml'), 1]],
    );
    assert.match(broken.manifests.errors[0]!.message, /^syntax error/);
    assert.equal(broken.result.table.version, edited.result.table.version, "team-b's routes are still served from its last good version");

    await writeFile(file('team-b.yaml'), triggerYaml('team-b/blog', 'blog.team-b.example.com', { paths: ['/posts'] }));
    const fixed = await watched.updates.next();
    assert.deepEqual(fixed.manifests.errors, []);
    assert.deepEqual(pathsOn(fixed, 'blog.team-b.example.com'), ['/posts']);

    await unlink(file('team-a.yaml'));
    const deleted = await watched.updates.next();
    assert.deepEqual(owners(deleted.result), { 'blog.team-b.example.com': 'team-b' });
    assert.deepEqual(
      deleted.result.statuses.map((status) => `${status.namespace}/${status.name}`),
      ['team-b/blog'],
    );

    const changesBefore = watched.changes();
    const names = Array.from({ length: 20 }, (_, index) => `c${String(index).padStart(2, '0')}`);
    await Promise.all(names.map((name) => writeFile(file(`team-c-${name}.yaml`), triggerYaml(`team-c/${name}`, `${name}.team-c.example.com`))));
    const bulk = await watched.updates.next();
    assert.deepEqual(
      Object.keys(owners(bulk.result)),
      ['blog.team-b.example.com', ...names.map((name) => `${name}.team-c.example.com`)].sort(),
    );
    assert.deepEqual(await watched.updates.drainAfter(500), []);
    assert.equal(watched.changes(), changesBefore + 1, 'twenty files saved at once make one change');
    assert.deepEqual(watched.errors, []);
  });

  it('a file that never parsed cleanly contributes only its errors, until it is fixed', async (t) => {
    const root = await tmpDir(t);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com').replace('host:', 'hots:'));
    const watched = await startSource(t, root);
    assert.deepEqual(watched.first.triggers, []);
    assert.deepEqual(
      watched.first.errors.map((error) => error.field),
      ['spec.ingress.hots', 'spec.ingress.host'],
    );
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com'));
    const fixed = await watched.sets.next();
    assert.deepEqual(hostsOf(fixed), ['x.example.com']);
    assert.deepEqual(fixed.errors, []);
  });

  it('a schema error keeps the last good version of the file in effect', async (t) => {
    const root = await tmpDir(t);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com'));
    const watched = await startSource(t, root);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'y.example.com', { paths: ['no-slash'] }));
    const broken = await watched.sets.next();
    assert.deepEqual(hostsOf(broken), ['x.example.com']);
    assert.deepEqual(
      broken.errors.map((error) => error.field),
      ['spec.ingress.paths[0].path'],
    );
  });

  it('a file emptied in place is taken as empty only after a grace period, so a save caught mid-write drops nothing', async (t) => {
    const root = await tmpDir(t);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com'));
    await writeFile(join(root, 'b.yaml'), triggerYaml('team-b/y', 'y.example.com'));
    const watched = await startSource(t, root, { pollIntervalMs: 0 });
    // Truncated, then rewritten 300 ms later: the table never lost x.example.com.
    await writeFile(join(root, 'a.yaml'), '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com', { paths: ['/new'] }));
    const rewritten = await watched.sets.next();
    assert.deepEqual(hostsOf(rewritten), ['x.example.com', 'y.example.com']);
    assert.deepEqual(await watched.sets.drainAfter(1300), [], 'nothing in between, nothing after');
    // Emptied on purpose: after the grace period the file contributes nothing.
    const emptied = Date.now();
    await writeFile(join(root, 'b.yaml'), '');
    const empty = await watched.sets.next();
    assert.deepEqual(hostsOf(empty), ['x.example.com']);
    assert.ok(Date.now() - emptied >= 900, 'not before the grace period');
  });

  it('hands out a set only when it differs from the last one', async (t) => {
    const root = await tmpDir(t);
    const text = triggerYaml('team-a/x', 'x.example.com');
    await writeFile(join(root, 'a.yaml'), text);
    const watched = await startSource(t, root);
    await writeFile(join(root, 'a.yaml'), text);
    await writeFile(join(root, 'notes.txt'), 'not a manifest');
    assert.deepEqual(await watched.sets.drainAfter(400), []);
    await writeFile(join(root, 'b.yaml'), triggerYaml('team-b/y', 'y.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['x.example.com', 'y.example.com']);
  });

  it('re-reads a file only when its (mtime, size, inode) changed or its mtime is too recent to trust', async (t) => {
    const root = await tmpDir(t);
    const long = new Date('2020-01-01T00:00:00Z');
    const recent = new Date(Math.floor(Date.now() / 1000) * 1000);
    await writeFile(join(root, 'old.yaml'), triggerYaml('team-a/old', 'aaa.example.com'));
    await writeFile(join(root, 'new.yaml'), triggerYaml('team-b/new', 'aaa.example.org'));
    await utimes(join(root, 'old.yaml'), long, long);
    await utimes(join(root, 'new.yaml'), recent, recent);
    const watched = await startSource(t, root);
    // Same size, same inode, mtime put back: only the recent file may have changed unseen.
    await writeFile(join(root, 'old.yaml'), triggerYaml('team-a/old', 'bbb.example.com'));
    await writeFile(join(root, 'new.yaml'), triggerYaml('team-b/new', 'bbb.example.org'));
    await utimes(join(root, 'old.yaml'), long, long);
    await utimes(join(root, 'new.yaml'), recent, recent);
    assert.deepEqual(hostsOf(await watched.sets.next()), ['bbb.example.org', 'aaa.example.com']);
  });

  it('watches directories created later, and a directory deleted and re-created at once', async (t) => {
    const root = await tmpDir(t);
    const watched = await startSource(t, root);
    await mkdir(join(root, 'team-a'));
    await writeFile(join(root, 'team-a', 'x.yaml'), triggerYaml('team-a/x', 'one.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['one.example.com']);
    await writeFile(join(root, 'team-a', 'x.yaml'), triggerYaml('team-a/x', 'two.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['two.example.com']);
    await rm(join(root, 'team-a'), { recursive: true });
    await mkdir(join(root, 'team-a'));
    await writeFile(join(root, 'team-a', 'x.yaml'), triggerYaml('team-a/x', 'three.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['three.example.com']);
    // The re-created directory has a live watcher: an edit in it is seen without any poll.
    await writeFile(join(root, 'team-a', 'x.yaml'), triggerYaml('team-a/x', 'four.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['four.example.com']);
  });

  it('follows a ConfigMap-style update: files are symlinks through ..data, which is swapped atomically', async (t) => {
    const root = await tmpDir(t);
    const version = async (name: string, host: string): Promise<void> => {
      await mkdir(join(root, name));
      await writeFile(join(root, name, 'a.yaml'), triggerYaml('team-a/x', host));
    };
    await version('..v1', 'v1.example.com');
    await symlink('..v1', join(root, '..data'));
    await symlink('..data/a.yaml', join(root, 'a.yaml'));
    const watched = await startSource(t, root);
    assert.deepEqual(hostsOf(watched.first), ['v1.example.com']);
    await version('..v2', 'v2.example.com');
    await symlink('..v2', join(root, '..data_tmp'));
    await rename(join(root, '..data_tmp'), join(root, '..data'));
    await rm(join(root, '..v1'), { recursive: true });
    assert.deepEqual(hostsOf(await watched.sets.next()), ['v2.example.com']);
  });

  it('reports a failed rescan, keeps its last set, and recovers when the directory returns', async (t) => {
    const root = join(await tmpDir(t), 'manifests');
    await mkdir(root);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com'));
    const watched = await startSource(t, root, { pollIntervalMs: 50 });
    await rm(root, { recursive: true });
    while (watched.errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(watched.errors[0]!.message, `manifest path ${root} does not exist`);
    await mkdir(root);
    await writeFile(join(root, 'b.yaml'), triggerYaml('team-b/y', 'y.example.com'));
    assert.deepEqual(hostsOf(await watched.sets.next()), ['y.example.com'], 'no set was handed out while the directory was missing');
  });

  it('refuses to start on a missing root', async (t) => {
    const root = join(await tmpDir(t), 'missing');
    await assert.rejects(watchDirectory(t, { root, dataDir: await tmpDir(t) }).source.start(() => {}), {
      message: `manifest path ${root} does not exist`,
    });
  });

  it('hands out nothing after close', async (t) => {
    const root = await tmpDir(t);
    const watched = await startSource(t, root, { pollIntervalMs: 20 });
    await watched.source.close();
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/x', 'x.example.com'));
    assert.deepEqual(await watched.sets.drainAfter(300), []);
  });
});
