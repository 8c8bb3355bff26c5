/** `triggerway check`: tables, JSON, exit statuses and usage errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { BIN, EXAMPLES, runCli } from './helpers/cli.js';
import { tmpDir } from './helpers/tmp-dir.js';

test('check examples/ lists both tenants and exits 1 because of the deliberate conflict', async () => {
  const run = await runCli(['check', EXAMPLES]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^NAMESPACE\s+TRIGGER\s+HOSTS\s+ROUTES\s+STATUS\s+REASONS$/m);
  assert.match(run.stdout, /^team-a\s+shop-api\s+shop\.team-a\.example\.com\s+2\s+Accepted\s+-$/m);
  assert.match(run.stdout, /^team-b\s+blog\s+blog\.team-b\.example\.com,www\.team-b\.example\.com\s+2\s+Accepted/m);
  assert.match(run.stdout, /^team-b\s+status-page\s+-\s+0\s+Rejected\s+HostnameConflict$/m);
  assert.match(run.stdout, /team-b\/status-page \(.*team-b\/status-page\.yaml#1\) spec\.ingress\.host: HostnameConflict: host "status\.apps\.example\.com" is owned by namespace "team-a"/);
  assert.match(run.stdout, /7 trigger\(s\), 1 refused in whole or part; \d+ host\(s\); 1 HostGroup\(s\); 2 Tenant\(s\); 0 manifest error\(s\)/);
  assert.equal(run.stderr, '');
});

test('check --json gives statuses, the route table and errors for machines', async () => {
  const run = await runCli(['check', '--json', EXAMPLES]);
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout) as {
    ok: boolean;
    version: string;
    statuses: { namespace: string; name: string; rejections: { reason: string }[] }[];
    table: { version: string; hosts: { host: string; namespace: string }[] };
    errors: unknown[];
  };
  assert.equal(report.ok, false);
  assert.equal(report.version, report.table.version);
  assert.deepEqual([...new Set(report.statuses.map((s) => s.namespace))], ['team-a', 'team-b']);
  assert.deepEqual(report.statuses.find((s) => s.name === 'status-page')?.rejections.map((r) => r.reason), ['HostnameConflict']);
  assert.equal(report.table.hosts.find((h) => h.host === 'status.apps.example.com')?.namespace, 'team-a');
  assert.deepEqual(report.errors, []);
});

test('check exits 0 when everything is admitted in full, and --routes prints the route table', async (t) => {
  const dir = await tmpDir(t);
  await cp(EXAMPLES, dir, { recursive: true, filter: (source) => !source.endsWith('status-page.yaml') });
  const run = await runCli(['check', '--routes', dir]);
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /^HOST\s+NAMESPACE\s+MATCH\s+WORKLOAD\s+HOSTGROUPS$/m);
  assert.match(run.stdout, /^shop\.team-a\.example\.com\s+team-a\s+Exact \/checkout\s+team-a\/shop-api\s+default$/m);
  assert.doesNotMatch(run.stdout, /Refused:/);
});

test('manifest errors are listed as file#doc field: message and make check exit 1', async (t) => {
  const dir = await tmpDir(t);
  const file = join(dir, 'bad.yaml');
  await writeFile(
    file,
    'kind: HostGroup\nmetadata: {name: default}\n---\nkind: HTTPTrigger\nmetadata: {name: x, namespace: team-a}\nspec:\n  ingress:\n    host: a.example.com\n    paths: [{path: /a}, {path: /b, pathType: prefix}]\n',
  );
  const run = await runCli(['check', file]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /Manifest errors:\n {2}.*bad\.yaml#2 spec\.ingress\.paths\[1\]\.pathType: must be Prefix or Exact, got "prefix"/);
  assert.match(run.stdout, /No HTTPTriggers found\./);
});

test('a missing path is reported by name with exit status 1, not a crash', async () => {
  const run = await runCli(['check', '/no/such/manifests']);
  assert.equal(run.code, 1);
  assert.match(run.stdout + run.stderr, /\/no\/such\/manifests/);
});

for (const [label, argv, message] of [
  ['an unknown flag', ['check', '--bogus', 'x'], /triggerway check: unknown option '--bogus'/],
  ['no path', ['check'], /triggerway check: give at least one PATH/],
  ['an unknown command', ['frobnicate'], /triggerway: unknown command "frobnicate"/],
  ['serve without --triggers', ['serve'], /triggerway serve: --triggers DIR is required/],
  ['serve with a stray argument', ['serve', '--triggers', 'x', 'extra'], /triggerway serve: .*extra/],
  ['a bad --debounce-ms', ['serve', '--triggers', 'x', '--debounce-ms', 'soon'], /--debounce-ms must be a whole number from 0 to 60000, got "soon"/],
  ['a bad --log-format', ['serve', '--triggers', 'x', '--log-format', 'xml'], /--log-format must be one of text, json, got "xml"/],
  ['a flag missing its value', ['serve', '--triggers'], /triggerway serve: .*--triggers/],
  ['an --xds-listen without a port', ['serve', '--triggers', 'x', '--xds-listen', '127.0.0.1'], /--xds-listen must be IP:PORT \(e\.g\. 127\.0\.0\.1:18000 or \[::1\]:18000\), got "127\.0\.0\.1"/],
  ['an --xds-listen with a hostname', ['serve', '--triggers', 'x', '--xds-listen', 'example.com:18000'], /--xds-listen must be IP:PORT/],
  ['an --xds-listen port out of range', ['serve', '--triggers', 'x', '--xds-listen', '[::1]:70000'], /--xds-listen must be IP:PORT/],
  ['a --listener on port 0', ['serve', '--triggers', 'x', '--listener', '0.0.0.0:0'], /--listener needs a port between 1 and 65535/],
] as const) {
  test(`usage error: ${label} exits 2 and points at --help`, async () => {
    const run = await runCli(argv);
    assert.equal(run.code, 2);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /--help' for usage/);
    assert.equal(run.stdout, '');
  });
}

for (const argv of [['--help'], ['check', '--help'], ['serve', '--help'], ['help', 'serve'], ['check', '-h']]) {
  test(`${argv.join(' ')} prints usage and exits 0`, async () => {
    const run = await runCli(argv);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: triggerway/);
  });
}

test('the triggerway bin runs the compiled CLI', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, '--version']);
  assert.match(stdout, /^triggerway \d+\.\d+\.\d+\n$/);
  const failed = await promisify(execFile)(process.execPath, [BIN, 'check', EXAMPLES]).catch((error: { code: number; stdout: string }) => error);
  assert.equal((failed as { code: number }).code, 1);
  assert.match((failed as { stdout: string }).stdout, /status-page/);
});

test('serve with an --xds-listen address in use says so and exits 1, touching nothing', async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(() => taken.close());
  const port = (taken.address() as AddressInfo).port;
  const dataDir = join(await tmpDir(t), 'state');
  const run = await runCli(['serve', '--triggers', EXAMPLES, '--data-dir', dataDir, '--xds-listen', `127.0.0.1:${port}`]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, new RegExp(`cannot start the xDS server listen=127\\.0\\.0\\.1:${port} error=`));
  await assert.rejects(stat(dataDir), /ENOENT/, 'no state written');
});
