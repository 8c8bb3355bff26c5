/** --server, --token and --token-file of the API commands, their environment variables, and the client's transport errors. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ApiClient } from '../src/admin/client/api-client.js';
import { ApiRequestError } from '../src/admin/client/api-request-error.js';
import { apiError, refusingUrl, runApiCli, ScriptedApiServer, TOKEN } from './helpers/scripted-api-server.js';
import { tmpDir } from './helpers/tmp-dir.js';

const EMPTY_STATUS = { scope: { role: 'platform' }, triggers: [], hosts: [] };

test('TRIGGERWAY_SERVER and TRIGGERWAY_TOKEN are used when no flag is given', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: EMPTY_STATUS }));
  const run = await runApiCli(['status'], { TRIGGERWAY_SERVER: server.url, TRIGGERWAY_TOKEN: TOKEN });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(server.calls(), ['GET /v1/status']);
  assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
  assert.equal(server.requests[0]?.headers['accept'], 'application/json');
});

test('--server and --token win over the environment', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: EMPTY_STATUS }));
  const run = await runApiCli(['status', '--server', server.url, '--token', TOKEN], { TRIGGERWAY_SERVER: await refusingUrl(), TRIGGERWAY_TOKEN: 'env-token-not-this-one' });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
});

test('--token-file reads the token from a file, trimmed, and wins over TRIGGERWAY_TOKEN', async (t) => {
  const file = join(await tmpDir(t), 'token');
  await writeFile(file, `  ${TOKEN}\n`);
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: EMPTY_STATUS }));
  const run = await runApiCli(['status', '--server', server.url, '--token-file', file], { TRIGGERWAY_TOKEN: 'env-token-not-this-one' });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(server.requests[0]?.headers['authorization'], `Bearer ${TOKEN}`);
});

test('a server path is kept as a prefix of every API path', async (t) => {
  const server = await ScriptedApiServer.start(t, () => ({ status: 200, body: EMPTY_STATUS }));
  const run = await runApiCli(['status', '--server', `${server.url}/edge/`, '--token', TOKEN]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(server.calls(), ['GET /edge/v1/status']);
});

for (const [label, argv, env, message] of [
  ['no token at all', ['status'], {}, /triggerway status: the admin API needs a token: give --token TOKEN, --token-file FILE or set TRIGGERWAY_TOKEN$/m],
  ['an empty TRIGGERWAY_TOKEN', ['get', 'hg'], { TRIGGERWAY_TOKEN: '' }, /triggerway get: the admin API needs a token: .*TRIGGERWAY_TOKEN/],
  ['--token and --token-file together', ['status', '--token', TOKEN, '--token-file', 'x'], {}, /give --token or --token-file, not both/],
  ['a --token-file that does not exist', ['status', '--token-file', '/no/such/token'], {}, /--token-file "\/no\/such\/token" cannot be read: ENOENT/],
  ['a token with a space', ['status', '--token', `${TOKEN} x`], {}, /the token from --token contains spaces or characters an HTTP header cannot carry/],
  ['a --server that is not a URL', ['status', '--token', TOKEN, '--server', '127.0.0.1:8081'], {}, /--server must be an http:\/\/ or https:\/\/ URL without credentials, query or fragment, got "127\.0\.0\.1:8081"/],
  ['a --server with another scheme', ['delete', 'hg', 'x', '--token', TOKEN, '--server', 'ftp://example.com'], {}, /triggerway delete: --server must be an http:\/\/ or https:\/\/ URL/],
  ['a bad TRIGGERWAY_SERVER', ['status', '--token', TOKEN], { TRIGGERWAY_SERVER: 'localhost' }, /--server \(from TRIGGERWAY_SERVER\) must be an http:\/\/ or https:\/\/ URL/],
] as const) {
  test(`usage error: ${label} exits 2 and names the flag`, async () => {
    const run = await runApiCli(argv, env);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /--help' for usage/);
    assert.equal(run.stdout, '');
  });
}

test('a --server with credentials is refused without echoing them', async () => {
  const run = await runApiCli(['status', '--token', TOKEN, '--server', 'https://ops:hunter2@example.com']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--server must be .* got a URL with credentials/);
  assert.doesNotMatch(run.stderr, /hunter2/);
});

test('a server that refuses connections: exit 1 and a message naming the server and the cause', async () => {
  const url = await refusingUrl();
  const run = await runApiCli(['get', 'ht', '-n', 'team-a', '--server', url, '--token', TOKEN]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`^triggerway get: cannot reach the triggerway server at ${url}: connect ECONNREFUSED`));
});

test('a server that never answers fails the request after the timeout, naming the server and the request', async (t) => {
  const silent = createServer(() => {});
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  t.after(() => (silent.closeAllConnections(), silent.close()));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const client = new ApiClient({ server: new URL(url), token: TOKEN, timeoutMs: 200 });
  t.after(() => client.close());
  await assert.rejects(client.status(), (error: Error) => {
    assert.equal(error.message, `no answer from the triggerway server at ${url} within 0.2 s (GET /v1/status)`);
    return true;
  });
});

test('a refusal is an ApiRequestError with the status, code, message and details of the answer', async (t) => {
  const details = [{ field: 'spec.ingress.host', message: 'must be a DNS name' }];
  const server = await ScriptedApiServer.start(t, () => apiError(400, 'Invalid', 'the manifest is invalid', details));
  const client = new ApiClient({ server: new URL(server.url), token: TOKEN });
  t.after(() => client.close());
  await assert.rejects(client.put({ kind: 'HostGroup', metadata: { name: 'default' } }), (error: unknown) => {
    assert.ok(error instanceof ApiRequestError);
    assert.deepEqual({ status: error.status, code: error.code, message: error.message, details: error.details }, { status: 400, code: 'Invalid', message: 'the manifest is invalid', details });
    assert.equal(error.describe(), 'the manifest is invalid (400 Invalid)\nspec.ingress.host: must be a DNS name');
    return true;
  });
});
