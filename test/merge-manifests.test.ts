import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Manifest } from '../src/model/resources.js';
import { mergeParsedFiles, type ParsedManifestFile } from '../src/sources/merge-manifests.js';
import { hostGroup, tenant, trigger } from './helpers/build-manifests.js';

/** `manifests` as documents 1, 2, … of `file`. */
function parsed(file: string, ...manifests: Manifest[]): ParsedManifestFile {
  return { file, manifests: manifests.map((manifest, index) => ({ ...manifest, source: { file, doc: index + 1 } })), errors: [] };
}

describe('mergeParsedFiles', () => {
  it('sorts objects by kind into one set, files in path order', () => {
    const set = mergeParsedFiles([
      parsed('b.yaml', trigger('team-b/x', 'b.example.com'), tenant('team-b', {})),
      parsed('a.yaml', hostGroup('default'), trigger('team-a/x', 'a.example.com')),
    ]);
    assert.deepEqual(
      set.triggers.map((t) => t.source),
      [
        { file: 'a.yaml', doc: 2 },
        { file: 'b.yaml', doc: 1 },
      ],
    );
    assert.deepEqual(
      set.hostGroups.map((g) => g.metadata.name),
      ['default'],
    );
    assert.deepEqual(
      set.tenants.map((g) => g.metadata.name),
      ['team-b'],
    );
    assert.deepEqual(set.errors, []);
  });

  it('keeps the first definition of an object (by path, then document) and reports the later one', () => {
    const set = mergeParsedFiles([
      parsed('b.yaml', trigger('team-a/x', 'late.example.com')),
      parsed('a.yaml', trigger('team-a/y', 'y.example.com'), trigger('team-a/x', 'first.example.com'), trigger('team-a/x', 'second.example.com')),
    ]);
    assert.deepEqual(
      set.triggers.map((t) => [t.metadata.name, t.spec.hosts[0]!.value]),
      [
        ['y', 'y.example.com'],
        ['x', 'first.example.com'],
      ],
    );
    assert.deepEqual(set.errors, [
      { file: 'a.yaml', doc: 3, field: 'metadata.name', message: 'duplicate HTTPTrigger team-a/x: already defined in a.yaml#2' },
      { file: 'b.yaml', doc: 1, field: 'metadata.name', message: 'duplicate HTTPTrigger team-a/x: already defined in a.yaml#2' },
    ]);
  });

  it('tells kinds apart: a trigger and a HostGroup of one name are two objects', () => {
    const set = mergeParsedFiles([parsed('a.yaml', hostGroup('x'), tenant('x', {}), trigger('x/x', 'x.example.com'))]);
    assert.equal(set.errors.length, 0);
    assert.equal(set.triggers.length + set.hostGroups.length + set.tenants.length, 3);
  });

  it("keeps each file's parse errors, in document order with its duplicate errors", () => {
    const file: ParsedManifestFile = {
      ...parsed('a.yaml', trigger('team-a/x', 'x.example.com'), trigger('team-a/x', 'x.example.com')),
      errors: [
        { file: 'a.yaml', doc: 3, field: 'spec', message: 'required' },
        { file: 'a.yaml', doc: 1, field: '', message: 'syntax error' },
      ],
    };
    assert.deepEqual(
      mergeParsedFiles([file]).errors.map((e) => [e.doc, e.message]),
      [
        [1, 'syntax error'],
        [2, 'duplicate HTTPTrigger team-a/x: already defined in a.yaml#1'],
        [3, 'required'],
      ],
    );
  });

  it('gives the same set whatever order the files come in', () => {
    const files = [parsed('b.yaml', trigger('team-a/x', 'b.example.com')), parsed('a.yaml', trigger('team-a/x', 'a.example.com'))];
    assert.deepEqual(mergeParsedFiles(files), mergeParsedFiles([...files].reverse()));
  });
});
