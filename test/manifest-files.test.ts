import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { listManifestFiles } from '../src/sources/manifest-files.js';
import { tmpDir } from './helpers/tmp-dir.js';

/** Creates `files` (relative path → content) under `root`, with their directories. */
async function layout(root: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'kind: HostGroup\n');
  }
}

async function listed(root: string): Promise<string[]> {
  return (await listManifestFiles(root)).map((file) => relative(root, file));
}

describe('listManifestFiles', () => {
  it('returns a file root as is', async (t) => {
    const root = await tmpDir(t);
    await layout(root, ['only.txt']);
    assert.deepEqual(await listManifestFiles(join(root, 'only.txt')), [join(root, 'only.txt')]);
  });

  it('lists *.yaml, *.yml and *.json recursively, in code-unit order', async (t) => {
    const root = await tmpDir(t);
    await layout(root, ['a.yaml', 'B.yml', '_.json', 'team-a/x.yaml', 'team-a/deep/y.json', 'notes.txt', 'x.yaml.bak', 'README.md']);
    // Code units: 'B' < '_' < 'a' < 't'; a locale-aware sort would order these differently.
    assert.deepEqual(await listed(root), ['B.yml', '_.json', 'a.yaml', 'team-a/deep/y.json', 'team-a/x.yaml']);
  });

  it('skips names starting with a dot: swap files, the data dir, ConfigMap internals', async (t) => {
    const root = await tmpDir(t);
    await layout(root, ['a.yaml', '.a.yaml.swp', '.hidden.yaml', '.triggerway/first-seen.json', '..2026_01_01/a.yaml']);
    await symlink('..2026_01_01', join(root, '..data'));
    assert.deepEqual(await listed(root), ['a.yaml']);
  });

  it('follows symlinked files and directories, the way ConfigMap mounts are built', async (t) => {
    const root = await tmpDir(t);
    const elsewhere = await tmpDir(t);
    await layout(root, ['..2026_01_01/tenants.yaml']);
    await layout(elsewhere, ['shared/groups.yaml']);
    await symlink('..2026_01_01', join(root, '..data'));
    await symlink(join('..data', 'tenants.yaml'), join(root, 'tenants.yaml'));
    await symlink(join(elsewhere, 'shared'), join(root, 'shared'));
    assert.deepEqual(await listed(root), ['shared/groups.yaml', 'tenants.yaml']);
  });

  it('ends a symlink loop and lists each file once', async (t) => {
    const root = await tmpDir(t);
    await layout(root, ['a.yaml', 'sub/b.yaml']);
    await symlink('..', join(root, 'sub', 'up'));
    await symlink('.', join(root, 'sub', 'self'));
    assert.deepEqual(await listed(root), ['a.yaml', 'sub/b.yaml']);
  });

  it('ignores a dangling symlink', async (t) => {
    const root = await tmpDir(t);
    await layout(root, ['a.yaml']);
    await symlink('gone.yaml', join(root, 'broken.yaml'));
    assert.deepEqual(await listed(root), ['a.yaml']);
  });

  it('rejects a missing root with a message naming it', async (t) => {
    const missing = join(await tmpDir(t), 'nope');
    await assert.rejects(listManifestFiles(missing), { message: `manifest path ${missing} does not exist` });
  });
});
