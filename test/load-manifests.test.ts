import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadManifests } from '../src/sources/load-manifests.js';
import { DEFAULT_HOSTGROUP_YAML, documents, triggerYaml } from './helpers/manifest-yaml.js';
import { tmpDir } from './helpers/tmp-dir.js';

describe('loadManifests', () => {
  it('loads files and directories together, reading a file named twice once', async (t) => {
    const root = await tmpDir(t);
    await mkdir(join(root, 'tenants'));
    await writeFile(join(root, 'groups.yaml'), DEFAULT_HOSTGROUP_YAML);
    await writeFile(join(root, 'tenants', 'a.yaml'), documents(triggerYaml('team-a/shop', 'shop.example.com'), triggerYaml('team-a/blog', 'blog.example.com')));
    const set = await loadManifests([join(root, 'groups.yaml'), join(root, 'tenants'), join(root, 'tenants', 'a.yaml')]);
    assert.deepEqual(set.errors, []);
    assert.deepEqual(
      set.triggers.map((t) => [t.metadata.name, t.source]),
      [
        ['shop', { file: join(root, 'tenants', 'a.yaml'), doc: 1 }],
        ['blog', { file: join(root, 'tenants', 'a.yaml'), doc: 2 }],
      ],
    );
    assert.equal(set.hostGroups.length, 1);
  });

  it('reports a missing path as an error of that path and loads the rest', async (t) => {
    const root = await tmpDir(t);
    await writeFile(join(root, 'a.yaml'), triggerYaml('team-a/shop', 'shop.example.com'));
    const missing = join(root, 'missing');
    const set = await loadManifests([missing, root]);
    assert.deepEqual(set.errors, [{ file: missing, doc: 0, field: '', message: 'does not exist' }]);
    assert.equal(set.triggers.length, 1);
  });

  it('reports an unreadable file as an error of that file', async (t) => {
    const root = await tmpDir(t);
    // /proc/self/mem stats as a regular file but reading it from offset 0 fails (EIO), even for root.
    await symlink('/proc/self/mem', join(root, 'unreadable.yaml'));
    const set = await loadManifests([root]);
    assert.deepEqual(set.errors, [{ file: join(root, 'unreadable.yaml'), doc: 0, field: '', message: 'cannot be read: EIO' }]);
  });

  it('keeps parse errors and schema errors with their file and document', async (t) => {
    const root = await tmpDir(t);
    await writeFile(join(root, 'a.yaml'), documents(triggerYaml('team-a/shop', 'shop.example.com'), 'kind: HTTPTrigger\nmetadata: [oops\n'));
    await writeFile(join(root, 'b.yaml'), 'kind: HostGroup\nmetadata: { name: default }\nspec: { gateways: [] , colour: red }\n');
    const set = await loadManifests([root]);
    assert.deepEqual(
      set.errors.map((e) => [e.file, e.doc]),
      [
        [join(root, 'a.yaml'), 2],
        [join(root, 'b.yaml'), 1],
      ],
    );
    assert.match(set.errors[0]!.message, /syntax error/);
    assert.equal(set.triggers.length, 1);
  });
});
