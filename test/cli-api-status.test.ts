/** `triggerway status` renders GET /v1/status as tables; `--help` of every API command. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StatusView } from '../src/admin/api/api-types.js';
import { acceptedStatus, apiError, rejectedStatus, runApiCli, ScriptedApiServer, TOKEN } from './helpers/scripted-api-server.js';

const PLATFORM_VIEW: StatusView = {
  scope: { role: 'platform' },
  snapshot: { version: 'tw1.abc.7', tableVersion: '5f2e9a', builtAt: '2026-01-10T09:00:00.000Z' },
  triggers: [
    { namespace: 'team-a', name: 'shop', origin: { kind: 'api' }, ...acceptedStatus(['shop.team-a.example.com']) },
    {
      namespace: 'team-b',
      name: 'status-page',
      origin: { kind: 'file', file: 'team-b/status-page.yaml' },
      ...rejectedStatus({ reason: 'HostnameConflict', field: 'spec.ingress.host', message: 'host "status.apps.example.com" is owned by namespace "team-a"' }),
    },
    { namespace: 'team-b', name: 'blog', origin: { kind: 'api' }, ...acceptedStatus(['blog.team-b.example.com'], 'False') },
  ],
  hosts: [
    { host: 'blog.team-b.example.com', namespace: 'team-b', triggers: ['team-b/blog'] },
    { host: 'shop.team-a.example.com', namespace: 'team-a', triggers: ['team-a/shop'] },
  ],
  tenants: [
    { name: 'team-a', hostnames: ['*.team-a.example.com'], hostGroups: ['default'], maxTriggers: 20, triggers: 1 },
    { name: 'team-b', triggers: 2 },
  ],
  dataPlanes: [
    { nodeId: 'envoy-1', cluster: 'edge', connected: true, streams: ['ads-sotw'], acked: { cds: 'tw1.abc.7', eds: 'tw1.abc.7', lds: 'tw1.abc.7', rds: 'tw1.abc.7' } },
    {
      nodeId: 'router-2',
      cluster: 'edge',
      connected: false,
      streams: [],
      acked: { cds: 'tw1.abc.7', rds: 'tw1.abc.6' },
      lastNack: { type: 'rds', version: 'tw1.abc.7', message: 'route has a regex matcher', at: '2026-01-10T09:00:01.000Z' },
    },
  ],
  manifestErrors: [{ file: 'team-b/api.json', doc: 1, field: 'spec.ingress.host', message: 'must be a DNS name' }],
};

function status(server: ScriptedApiServer, ...argv: string[]): ReturnType<typeof runApiCli> {
  return runApiCli(['status', '--server', server.url, '--token', TOKEN, ...argv]);
}

test('status shows triggers, hosts, tenants, data planes, refusals and manifest errors, and exits 0 even with a NACK', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: PLATFORM_VIEW }));
  const run = await status(server);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(server.calls(), ['GET /v1/status']);
  assert.match(run.stdout, /^Snapshot tw1\.abc\.7 \(route table 5f2e9a\), built 2026-01-10T09:00:00\.000Z; scope: platform\.$/m);
  assert.match(run.stdout, /^Triggers:\nNAMESPACE\/NAME\s+ORIGIN\s+HOSTS\s+ACCEPTED\s+PROGRAMMED\s+REASON$/m);
  assert.match(run.stdout, /^team-a\/shop\s+api\s+shop\.team-a\.example\.com\s+True\s+True\s+-$/m);
  assert.match(run.stdout, /^team-b\/status-page\s+team-b\/status-page\.yaml\s+-\s+False\s+False\s+HostnameConflict$/m);
  assert.match(run.stdout, /^team-b\/blog\s+api\s+blog\.team-b\.example\.com\s+True\s+False\s+Pending$/m);
  assert.match(run.stdout, /^Hosts:\nHOST\s+OWNER\s+TRIGGERS\nblog\.team-b\.example\.com\s+team-b\s+team-b\/blog$/m);
  assert.match(run.stdout, /^team-a\s+\*\.team-a\.example\.com\s+default\s+1\/20$/m);
  assert.match(run.stdout, /^team-b\s+\(any\)\s+\(any\)\s+2$/m);
  assert.match(run.stdout, /^Data planes:\nNODE\s+CLUSTER\s+CONNECTED\s+ACKED\s+LAST NACK$/m);
  assert.match(run.stdout, /^envoy-1\s+edge\s+yes\s+tw1\.abc\.7\s+-$/m);
  assert.match(run.stdout, /^router-2\s+edge\s+no\s+cds=tw1\.abc\.7 rds=tw1\.abc\.6\s+rds tw1\.abc\.7 at 2026-01-10T09:00:01\.000Z: route has a regex matcher$/m);
  assert.match(run.stdout, /^Refused:\n {2}team-b\/status-page spec\.ingress\.host: HostnameConflict: host "status\.apps\.example\.com" is owned by namespace "team-a"$/m);
  assert.match(run.stdout, /^Manifest errors:\n {2}team-b\/api\.json#1 spec\.ingress\.host: must be a DNS name$/m);
});

test('a tenant-scoped status shows only what the tenant may see', async (t) => {
  const view: StatusView = { scope: { role: 'tenant', namespace: 'team-a' }, triggers: PLATFORM_VIEW.triggers.slice(0, 1), hosts: PLATFORM_VIEW.hosts.slice(1) };
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: view }));
  const run = await status(server);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^No snapshot built yet; scope: tenant team-a\.$/m);
  assert.match(run.stdout, /^team-a\/shop\s+api/m);
  assert.doesNotMatch(run.stdout, /Tenants:|Data planes:|Refused:|Manifest errors:/);
});

test('status --json prints the view as the API returned it', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: PLATFORM_VIEW }));
  const run = await status(server, '--json');
  assert.equal(run.code, 0);
  assert.deepEqual(JSON.parse(run.stdout), PLATFORM_VIEW);
});

test('status exits 1 with the server message when the API refuses', async (t) => {
  const server = await ScriptedApiServer.start(t, () => apiError(503, 'Unavailable', 'the first admission has not finished'));
  const run = await status(server);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, 'triggerway status: status: the first admission has not finished (503 Unavailable)\n');
});

for (const command of ['apply', 'get', 'delete', 'status']) {
  test(`${command} --help prints usage, the API options and the exit statuses, and exits 0`, async () => {
    for (const argv of [[command, '--help'], ['help', command]]) {
      const run = await runApiCli(argv);
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`^Usage: triggerway ${command}`));
      assert.match(run.stdout, /--server URL/);
      assert.match(run.stdout, /--token-file FILE/);
      assert.match(run.stdout, /Exit status: 0 when/);
    }
  });
}

test('the main help lists the API commands', async () => {
  const run = await runApiCli(['--help']);
  for (const command of ['apply -f PATH', 'get KIND [NAME]', 'delete KIND NAME', 'status']) assert.match(run.stdout, new RegExp(`^ {2}${command.replace(/[[\]]/g, '\\$&')}\\s`, 'm'));
});
