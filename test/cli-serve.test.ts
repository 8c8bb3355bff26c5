/**
 * `triggerway serve` as a real process on a real directory: write, modify, break, fix and
 * delete files while it watches, and read the admitted table from its JSON log each step.
 */
import assert from 'node:assert/strict';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, ChildLines, REPO } from './helpers/cli.js';
import { DEFAULT_HOSTGROUP_YAML, documents, triggerYaml } from './helpers/manifest-yaml.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';

interface LogLine {
  msg: string;
  host?: string;
  level: string;
  version?: string;
  hosts?: number | string[];
  from?: string;
  to?: string;
  added?: string[];
  removed?: string[];
  changed?: string[];
  trigger?: string;
  reason?: string;
  error?: string;
}

const parse = (line: string): LogLine => JSON.parse(line) as LogLine;
const is = (msg: string) => (line: string) => parse(line).msg === msg;

test('serve follows a directory through write, modify, break, fix and delete', { timeout: 60_000 }, async (t) => {
  const root = await tmpDir(t);
  const manifests = join(root, 'manifests');
  const teamA = (paths?: string[]): string => triggerYaml('team-a/shop', 'shop.example.com', { created: '2026-01-01T00:00:00Z', ...(paths && { paths }) });
  await mkdir(manifests);
  await writeFile(join(manifests, 'group.yaml'), DEFAULT_HOSTGROUP_YAML);
  await writeFile(join(manifests, 'a.yaml'), teamA());
  const serve = new ChildLines(process.execPath, [BIN, 'serve', '--triggers', manifests, '--data-dir', join(root, 'state'), '--log-format', 'json', '--debounce-ms', '30', '--xds-listen', '127.0.0.1:0'], REPO);
  onTestEnd(t, () => serve.stop());
  const loaded = parse(await serve.next(is('route table loaded')));
  assert.equal(loaded.hosts, 1);
  await serve.next(is('watching for changes'), 10_000, 0); // may come in the same chunk as the line above
  assert.equal(serve.lines.filter(is('trigger admitted')).length, 0, 'the first load logs refusals only');

  // Write: team-b arrives, and also tries to take team-a's host.
  let mark = serve.lines.length;
  const created = '2026-01-02T00:00:00Z';
  await writeFile(join(manifests, 'b.yaml'), documents(triggerYaml('team-b/blog', 'blog.example.com', { created }), triggerYaml('team-b/grab', 'shop.example.com', { created })));
  const added = parse(await serve.next(is('route table updated'), 10_000, mark));
  assert.deepEqual([added.added, added.removed, added.changed, added.hosts], [['blog.example.com'], undefined, undefined, 2]);
  const blog = parse(await serve.next((l) => is('trigger admitted')(l) && parse(l).trigger === 'team-b/blog', 10_000, mark));
  assert.deepEqual(blog.hosts, ['blog.example.com']);
  const refused = parse(await serve.next((l) => is('trigger refused')(l) && parse(l).trigger === 'team-b/grab', 10_000, mark));
  assert.equal(refused.reason, 'HostnameConflict');

  // Modify: team-a routes /api only.
  mark = serve.lines.length;
  await writeFile(join(manifests, 'a.yaml'), teamA(['/api']));
  const modified = parse(await serve.next(is('route table updated'), 10_000, mark));
  assert.deepEqual(modified.changed, ['shop.example.com']);

  // Break: a syntax error is reported; the file's last good version stays in effect.
  mark = serve.lines.length;
  await writeFile(join(manifests, 'a.yaml'), 'kind: HTTPTrigger\nmetadata: [oops\n');
  const broken = parse(await serve.next(is('manifest error'), 10_000, mark));
  assert.match(broken.error!, /a\.yaml#1: syntax error at line \d+, column \d+/);
  assert.equal(broken.level, 'warn');
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(serve.lines.slice(mark).filter(is('route table updated')).length, 0, 'a broken file must not change the table');

  // Fix: the error clears and the fixed content takes effect.
  mark = serve.lines.length;
  await writeFile(join(manifests, 'a.yaml'), teamA(['/v2']));
  await serve.next(is('manifest error resolved'), 10_000, mark);
  const fixed = parse(await serve.next(is('route table updated'), 10_000, mark));
  assert.deepEqual(fixed.changed, ['shop.example.com']);

  // Delete: exactly team-a's host goes; team-b's waiting trigger takes it over.
  mark = serve.lines.length;
  await unlink(join(manifests, 'a.yaml'));
  const deleted = parse(await serve.next(is('route table updated'), 10_000, mark));
  assert.deepEqual([deleted.added, deleted.removed, deleted.changed], [undefined, undefined, ['shop.example.com']]);
  const moved = parse(await serve.next(is('host owner changed'), 10_000, mark));
  assert.deepEqual([moved.host, moved.from, moved.to], ['shop.example.com', 'team-a', 'team-b']);
  const grab = parse(await serve.next((l) => is('trigger admitted')(l) && parse(l).trigger === 'team-b/grab', 10_000, mark));
  assert.deepEqual(grab.hosts, ['shop.example.com']);
  await serve.next((l) => is('trigger removed')(l) && parse(l).trigger === 'team-a/shop', 10_000, mark);

  assert.equal(await serve.stop(), 0);
  assert.ok(serve.lines.some(is('stopped')));
  assert.equal(serve.stderr, '');
});
