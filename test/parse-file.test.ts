/** Manifest files → manifests and located errors: documents, JSON, syntax, limits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatManifestError } from '../src/model/issues.js';
import { MAX_MANIFEST_FILE_BYTES, parseManifestText, type ParsedFile } from '../src/model/parse-file.js';

const trigger = (name: string): string =>
  `kind: HTTPTrigger\nmetadata: {name: ${name}, namespace: team-a}\nspec: {ingress: {host: ${name}.example.com}}\n`;

/** Each decoded manifest as [name, doc], the doc index being where the file shows it. */
function located(parsed: ParsedFile): Array<[string, number | undefined]> {
  return parsed.manifests.map((manifest) => [manifest.metadata.name, manifest.source?.doc]);
}

function assertEveryErrorLocated(parsed: ParsedFile, file: string): void {
  for (const error of parsed.errors) {
    assert.equal(error.file, file, formatManifestError(error));
    assert.ok(Number.isInteger(error.doc) && error.doc >= 0, formatManifestError(error));
  }
}

test('a multi-document file yields every manifest, each with its file and 1-based doc index', () => {
  const parsed = parseManifestText(`${trigger('a')}---\n${trigger('b')}---\n${trigger('c')}`, 'all.yaml');
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(located(parsed), [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);
  for (const manifest of parsed.manifests) assert.equal(manifest.source?.file, 'all.yaml');
});

const numbering: ReadonlyArray<readonly [string, string, Array<[string, number]>]> = [
  ['a leading "---" starts the first document', `---\n${trigger('a')}---\n${trigger('b')}`, [['a', 1], ['b', 2]]],
  ['an empty document before the first manifest is counted', `---\n---\n${trigger('a')}`, [['a', 2]]],
  ['a comment-only document is skipped but counted', `${trigger('a')}---\n# nothing here yet\n---\n${trigger('b')}`, [['a', 1], ['b', 3]]],
  ['empty documents between and after manifests are counted', `---\n---\n${trigger('a')}---\n---\n${trigger('b')}---\n`, [['a', 2], ['b', 4]]],
  ['an explicit null document is skipped but counted', `${trigger('a')}---\nnull\n---\n${trigger('b')}`, [['a', 1], ['b', 3]]],
  ['a comment header before the first "---" is not a document', `# team-a routes\n---\n${trigger('a')}`, [['a', 1]]],
  ['CRLF line endings', `${trigger('a')}---\n${trigger('b')}`.replace(/\n/g, '\r\n'), [['a', 1], ['b', 2]]],
  ['a byte-order mark', `\uFEFF${trigger('a')}`, [['a', 1]]],
];

for (const [label, text, expected] of numbering) {
  test(`document numbering: ${label}`, () => {
    const parsed = parseManifestText(text, 'docs.yaml');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(located(parsed), expected);
  });
}

test('an empty file and a comment-only file yield nothing and no error', () => {
  assert.deepEqual(parseManifestText('', 'empty.yaml'), { manifests: [], errors: [] });
  assert.deepEqual(parseManifestText('# nothing\n', 'comment.yaml'), { manifests: [], errors: [] });
});

test('a JSON file is read like YAML', () => {
  const json = JSON.stringify(
    { apiVersion: 'control.cosmonic.io/v1alpha1', kind: 'HTTPTrigger', metadata: { name: 'j', namespace: 'team-a' }, spec: { ingress: { host: 'j.example.com', paths: [{ path: '/api/', pathType: 'Prefix' }] } } },
    null,
    2,
  );
  const parsed = parseManifestText(json, 'shop.json');
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.manifests, [
    {
      kind: 'HTTPTrigger',
      metadata: { name: 'j', namespace: 'team-a', labels: {} },
      spec: {
        hosts: [{ value: 'j.example.com', field: 'spec.ingress.host' }],
        paths: [{ path: '/api', pathType: 'Prefix', field: 'spec.ingress.paths[0]' }],
        hostSelector: { hostgroup: 'default' },
      },
      source: { file: 'shop.json', doc: 1 },
    },
  ]);
});

const duplicates: ReadonlyArray<readonly [string, string, string]> = [
  ['YAML top-level key', 'kind: HostGroup\nmetadata: {name: a}\nmetadata: {name: b}\n', 'line 3, column 1'],
  ['JSON top-level key', '{"kind": "HTTPTrigger", "kind": "HostGroup", "metadata": {"name": "a"}}', 'line 1, column 25'],
  ['JSON nested key', '{"kind": "HostGroup",\n "metadata": {"name": "a", "name": "b"}}', 'line 2, column 28'],
];

for (const [label, text, position] of duplicates) {
  test(`duplicate key refused: ${label}`, () => {
    const parsed = parseManifestText(text, 'dup.yaml');
    assert.deepEqual(parsed.manifests, []);
    assert.equal(parsed.errors.length, 1);
    const [error] = parsed.errors;
    assert.deepEqual([error!.file, error!.doc, error!.field], ['dup.yaml', 1, '']);
    assert.equal(error!.message, `syntax error at ${position}: Map keys must be unique`);
  });
}

test('a YAML syntax error is reported with line and column, and the other documents still decode', () => {
  const text = `${trigger('a')}---\nkind: HTTPTrigger\nmetadata: {name: b\n---\n${trigger('c')}`;
  const parsed = parseManifestText(text, 'broken.yaml');
  assert.deepEqual(located(parsed), [
    ['a', 1],
    ['c', 3],
  ]);
  assert.equal(parsed.errors.length, 1);
  const [error] = parsed.errors;
  assert.deepEqual([error!.file, error!.doc, error!.field], ['broken.yaml', 2, '']);
  assert.match(error!.message, /^syntax error at line 7, column 1: \S/);
  assert.doesNotMatch(error!.message, /\n/, 'one line, no code frame');
});

test('tabs used as indentation are a located syntax error', () => {
  const parsed = parseManifestText('kind: HostGroup\nmetadata:\n\tname: a\n', 'tabs.yaml');
  assert.deepEqual(parsed.manifests, []);
  assert.deepEqual(
    parsed.errors.map((error) => formatManifestError(error)),
    ['tabs.yaml#1: syntax error at line 3, column 1: Tabs are not allowed as indentation'],
  );
});

test('errors are formatted as file#doc field: message', () => {
  const bad = 'kind: HTTPTrigger\nmetadata: {name: b, namespace: team-a}\nspec:\n  ingress:\n    host: b.example.com\n    paths:\n      - {path: /a, pathType: Exact}\n      - {path: /b, pathType: prefix}\n';
  const parsed = parseManifestText(`${trigger('a')}---\n${bad}`, 'examples/a.yaml');
  assert.deepEqual(located(parsed), [['a', 1]]);
  assert.deepEqual(
    parsed.errors.map((error) => formatManifestError(error)),
    ['examples/a.yaml#2 spec.ingress.paths[1].pathType: must be Prefix or Exact, got "prefix"'],
  );
});

test('formatManifestError leaves out what an error does not have', () => {
  assert.equal(formatManifestError({ file: 'f.yaml', doc: 3, field: '', message: 'm' }), 'f.yaml#3: m');
  assert.equal(formatManifestError({ file: 'f.yaml', doc: 0, field: '', message: 'm' }), 'f.yaml: m');
  assert.equal(formatManifestError({ file: 'f.yaml', doc: 1, field: 'kind', message: 'required' }), 'f.yaml#1 kind: required');
});

const notObjects: ReadonlyArray<readonly [string, string]> = [
  ['a list', '- kind: HTTPTrigger\n- kind: HostGroup\n'],
  ['a string', 'hello\n'],
  ['a number', '42\n'],
  ['a boolean', 'true\n'],
];

for (const [label, document] of notObjects) {
  test(`a document that is ${label} is an error, and the next document still decodes`, () => {
    const parsed = parseManifestText(`${document}---\n${trigger('a')}`, 'shapes.yaml');
    assert.deepEqual(located(parsed), [['a', 2]]);
    assert.equal(parsed.errors.length, 1);
    assert.deepEqual({ ...parsed.errors[0], message: undefined }, { file: 'shapes.yaml', doc: 1, field: '', message: undefined });
    assert.match(parsed.errors[0]!.message, /^a manifest must be an object with a kind, got (a list|"|\d|true|false)/);
  });
}

test('every error carries its file and document, across kinds and documents', () => {
  const text = [
    trigger('a'),
    'kind: HTTPTrigger\nmetadata: {name: b}\nspec: {ingress: {}}\n',
    'kind: HostGroup\nmetadata: {name: g, namespace: x}\nspec: {gateways: [{address: localhost, port: 0}]}\n',
    'kind: Tenant\nmetadata: {name: a.b}\nspec: {maxTriggers: -1}\n',
    'kind: Nope\n',
    '[unclosed\n',
  ].join('---\n');
  const parsed = parseManifestText(text, 'mixed.yaml');
  assert.deepEqual(located(parsed), [['a', 1]]);
  assertEveryErrorLocated(parsed, 'mixed.yaml');
  assert.deepEqual([...new Set(parsed.errors.map((error) => error.doc))], [2, 3, 4, 5, 6]);
  assert.deepEqual(
    parsed.errors.filter((error) => error.doc !== 6).map((error) => `${error.doc} ${error.field}`),
    [
      '2 metadata.namespace',
      '2 spec.ingress.host',
      '3 metadata.namespace',
      '3 spec.gateways[0].port',
      '3 spec.gateways[0].address',
      '4 metadata.name',
      '4 spec.maxTriggers',
      '5 kind',
    ],
  );
});

test(`a file over ${MAX_MANIFEST_FILE_BYTES} bytes is refused as a whole, before parsing`, () => {
  assert.equal(MAX_MANIFEST_FILE_BYTES, 4 * 1024 * 1024);
  const text = `${trigger('a')}# ${'x'.repeat(MAX_MANIFEST_FILE_BYTES)}\n`;
  const parsed = parseManifestText(text, 'huge.yaml');
  assert.deepEqual(parsed, {
    manifests: [],
    errors: [{ file: 'huge.yaml', doc: 0, field: '', message: 'larger than 4 MiB; split it into several files' }],
  });
  assert.equal(formatManifestError(parsed.errors[0]!), 'huge.yaml: larger than 4 MiB; split it into several files');
});

test('the size limit counts UTF-8 bytes, not characters', () => {
  const text = `${trigger('a')}# ${'ü'.repeat(MAX_MANIFEST_FILE_BYTES / 2)}\n`;
  assert.ok(text.length < MAX_MANIFEST_FILE_BYTES);
  assert.deepEqual(parseManifestText(text, 'umlauts.yaml').errors.map((error) => error.doc), [0]);
});

test('a file of exactly 4 MiB is still read', () => {
  const head = trigger('a');
  const text = `${head}#${'x'.repeat(MAX_MANIFEST_FILE_BYTES - Buffer.byteLength(head) - 2)}\n`;
  assert.equal(Buffer.byteLength(text), MAX_MANIFEST_FILE_BYTES);
  const parsed = parseManifestText(text, 'big.yaml');
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(located(parsed), [['a', 1]]);
});

test('a YAML alias bomb (billion laughs) is refused quickly; the next document still decodes', { timeout: 10_000 }, () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  const started = Date.now();
  const parsed = parseManifestText(`${levels.join('\n')}\n---\n${trigger('ok')}`, 'bomb.yaml');
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.deepEqual(located(parsed), [['ok', 2]]);
  assert.equal(parsed.errors.length, 1);
  assert.deepEqual([parsed.errors[0]!.file, parsed.errors[0]!.doc, parsed.errors[0]!.field], ['bomb.yaml', 1, '']);
  assert.match(parsed.errors[0]!.message, /^cannot be read: .*alias/i);
});

test('ordinary anchors and aliases still work', () => {
  const text = 'kind: HTTPTrigger\nmetadata: {name: a, namespace: &ns team-a}\nspec: {hostSelector: {hostgroup: *ns}, ingress: {host: a.example.com}}\n';
  const parsed = parseManifestText(text, 'alias.yaml');
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.manifests.length, 1);
  assert.deepEqual(parsed.manifests[0]!.kind === 'HTTPTrigger' && parsed.manifests[0]!.spec.hostSelector, { hostgroup: 'team-a' });
});

test('a "__proto__" key is an unknown field, never a prototype', () => {
  const parsed = parseManifestText(
    '{"kind": "HTTPTrigger", "metadata": {"__proto__": {"name": "x", "namespace": "team-a"}}, "spec": {"ingress": {"host": "a.example.com"}}}',
    'proto.json',
  );
  assert.deepEqual(parsed.manifests, []);
  assert.deepEqual(
    parsed.errors.map((error) => error.field),
    ['metadata.__proto__', 'metadata.name', 'metadata.namespace'],
  );
});
