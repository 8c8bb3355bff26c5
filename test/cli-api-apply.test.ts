/** `triggerway apply`: what it sends the admin API, in which order, and how it reports the answers. */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_HOSTGROUP_YAML, documents, triggerYaml } from './helpers/manifest-yaml.js';
import {
  acceptedStatus,
  apiError,
  apiObject,
  createEverything,
  rejectedStatus,
  refusingUrl,
  runApiCli,
  ScriptedApiServer,
  TOKEN,
  type RecordedRequest,
  type ScriptedAnswer,
} from './helpers/scripted-api-server.js';
import { tmpDir } from './helpers/tmp-dir.js';

const TENANT_YAML = 'apiVersion: triggerway.dev/v1alpha1\nkind: Tenant\nmetadata: {name: team-a}\nspec:\n  hostnames: ["*.team-a.example.com"]\n';
// `template` is not modelled by the decoder: the API must still get it, as written.
const SHOP_YAML =
  'apiVersion: control.cosmonic.io/v1alpha1\nkind: HTTPTrigger\nmetadata: {name: shop, namespace: team-a}\n' +
  'spec:\n  ingress: {host: shop.team-a.example.com}\n  template: {spec: {components: [{name: web, image: "ghcr.io/x/web:1"}]}}\n';

/** A directory whose file order (triggers first) is not the order apply must write in. */
async function manifestDir(t: TestContext): Promise<string> {
  const dir = await tmpDir(t);
  await mkdir(join(dir, 'platform'));
  await writeFile(join(dir, 'a-triggers.yaml'), documents(SHOP_YAML, triggerYaml('team-a/blog', 'blog.team-a.example.com')));
  await writeFile(join(dir, 'platform', 'hostgroups.yaml'), DEFAULT_HOSTGROUP_YAML);
  await writeFile(join(dir, 'platform', 'tenants.json'), JSON.stringify(parse(TENANT_YAML)));
  return dir;
}

function apply(server: ScriptedApiServer, ...argv: string[]): ReturnType<typeof runApiCli> {
  return runApiCli(['apply', '--server', server.url, '--token', TOKEN, ...argv]);
}

/** Answers PUTs by object name; anything else is created. */
function byName(answers: Record<string, ScriptedAnswer>): (request: RecordedRequest) => ScriptedAnswer {
  return (request) => answers[request.path.split('/').at(-1)!] ?? createEverything(request);
}

test('apply of a directory writes HostGroups, then Tenants, then HTTPTriggers, each document as written, with the token', async (t) => {
  const dir = await manifestDir(t);
  const server = await ScriptedApiServer.start(t, createEverything);
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.deepEqual(server.calls(), [
    'PUT /v1/hostgroups/default',
    'PUT /v1/tenants/team-a',
    'PUT /v1/namespaces/team-a/httptriggers/shop',
    'PUT /v1/namespaces/team-a/httptriggers/blog',
  ]);
  for (const request of server.requests) {
    assert.equal(request.headers['authorization'], `Bearer ${TOKEN}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['if-match'], undefined, 'no resourceVersion, no If-Match');
  }
  const sent = server.requests.map((request) => JSON.parse(request.body) as unknown);
  assert.deepEqual(sent[0], parse(DEFAULT_HOSTGROUP_YAML));
  assert.deepEqual(sent[1], parse(TENANT_YAML));
  assert.deepEqual(sent[2], parse(SHOP_YAML));
  assert.equal(run.stderr, '');
  assert.match(run.stdout, /^KIND\s+NAME\s+RESULT\s+ACCEPTED\s+REASON\s+MESSAGE$/m);
  assert.match(run.stdout, /^HostGroup\s+default\s+created\s+True\s+-\s+-$/m);
  assert.match(run.stdout, /^Tenant\s+team-a\s+created\s+True\s+-\s+-$/m);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/shop\s+created\s+True\s+-\s+-$/m);
  assert.match(run.stdout, /4 object\(s\): 4 created, 0 configured, 0 refused by the API; 0 trigger\(s\) refused by admission/);
});

test('a 200 answer reads as configured, and a manifest resourceVersion is sent as If-Match too', async (t) => {
  const dir = await tmpDir(t);
  const file = join(dir, 'shop.yaml');
  await writeFile(file, SHOP_YAML.replace('namespace: team-a}', 'namespace: team-a, resourceVersion: "41"}'));
  const server = await ScriptedApiServer.start(t, (request) => ({ ...createEverything(request), status: 200 }));
  const run = await apply(server, '--filename', file);
  assert.equal(run.code, 0);
  assert.equal(server.requests[0]?.headers['if-match'], '"41"');
  assert.equal((JSON.parse(server.requests[0]!.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion, '41');
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/shop\s+configured\s+True/m);
});

test('a trigger admission rejects is written (201) but reported False with its reason, and apply exits 1', async (t) => {
  const dir = await manifestDir(t);
  const conflict = { reason: 'HostnameConflict', field: 'spec.ingress.host', message: 'host "blog.team-a.example.com" is owned by namespace "team-b"' } as const;
  const server = await ScriptedApiServer.start(t, byName({ blog: { status: 201, body: apiObject(parse(triggerYaml('team-a/blog', 'blog.team-a.example.com')), rejectedStatus(conflict)) } }));
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.equal(server.requests.length, 4);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/blog\s+created\s+False\s+HostnameConflict\s+host "blog\.team-a\.example\.com" is owned by namespace "team-b"$/m);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/shop\s+created\s+True/m);
  assert.match(run.stdout, /Refused:\n {2}team-a\/blog \(.*a-triggers\.yaml#2\) spec\.ingress\.host: HostnameConflict: host "blog\.team-a\.example\.com" is owned/);
  assert.match(run.stdout, /1 trigger\(s\) refused by admission in whole or part\./);
});

test('a trigger refused in part (Accepted but with a rejection) also makes apply exit 1', async (t) => {
  const dir = await tmpDir(t);
  await writeFile(join(dir, 'shop.yaml'), SHOP_YAML);
  const partial = acceptedStatus(['shop.team-a.example.com']);
  const status = { ...partial, rejections: [{ reason: 'PathConflict', field: 'spec.ingress.paths[1]', message: 'Prefix /api is taken by team-a/api' }] } as const;
  const server = await ScriptedApiServer.start(t, (request) => ({ status: 201, body: apiObject(JSON.parse(request.body), status) }));
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/shop\s+created\s+True\s+PathConflict\s+Prefix \/api is taken by team-a\/api$/m);
});

test('403, 409 and 400 answers are shown with the server message (and field details), the rest still applied, exit 1', async (t) => {
  const dir = await manifestDir(t);
  const server = await ScriptedApiServer.start(
    t,
    byName({
      default: apiError(403, 'Forbidden', 'the token "team-a-ci" may not write HostGroups'),
      'team-a': apiError(409, 'Conflict', 'Tenant team-a was changed since resourceVersion 3; read it again'),
      shop: apiError(400, 'Invalid', 'the manifest is invalid', [{ field: 'spec.ingress.paths[0].path', message: 'must start with "/"' }]),
    }),
  );
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.equal(server.requests.length, 4, 'a refusal does not stop the others');
  assert.match(run.stdout, /^HostGroup\s+default\s+failed\s+False\s+Forbidden\s+the token "team-a-ci" may not write HostGroups$/m);
  assert.match(run.stdout, /^Tenant\s+team-a\s+failed\s+False\s+Conflict\s+Tenant team-a was changed since resourceVersion 3; read it again$/m);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/shop\s+failed\s+False\s+Invalid\s+the manifest is invalid$/m);
  assert.match(run.stdout, /^HTTPTrigger\s+team-a\/blog\s+created\s+True/m);
  assert.match(run.stdout, /Errors:\n {2}HTTPTrigger team-a\/shop \(.*a-triggers\.yaml#1\) spec\.ingress\.paths\[0\]\.path: must start with "\/"/);
  assert.match(run.stdout, /4 object\(s\): 1 created, 0 configured, 3 refused by the API/);
});

test('--json prints each answer as the API gave it, next to the object and document it was for', async (t) => {
  const dir = await manifestDir(t);
  const server = await ScriptedApiServer.start(t, byName({ blog: apiError(403, 'Forbidden', 'not your namespace') }));
  const run = await apply(server, '-f', dir, '--json');
  assert.equal(run.code, 1);
  const report = JSON.parse(run.stdout) as {
    ok: boolean;
    results: { kind: string; namespace?: string; name: string; source: { doc: number }; result: string; object?: { status?: unknown }; error?: { status: number; code: string; message: string } }[];
    notSent: unknown[];
  };
  assert.equal(report.ok, false);
  assert.deepEqual(report.results.map((r) => `${r.kind} ${r.name} ${r.result}`), ['HostGroup default created', 'Tenant team-a created', 'HTTPTrigger shop created', 'HTTPTrigger blog failed']);
  assert.deepEqual(report.results[3]?.error, { status: 403, code: 'Forbidden', message: 'not your namespace', details: [] });
  assert.equal(report.results[2]?.namespace, 'team-a');
  assert.equal(report.results[2]?.source.doc, 1);
  assert.deepEqual(report.results[2]?.object?.status, acceptedStatus(['shop.team-a.example.com']));
  assert.deepEqual(report.notSent, []);
});

test('a manifest with a schema error is reported as file#doc field: message and nothing is sent', async (t) => {
  const dir = await manifestDir(t);
  await writeFile(join(dir, 'bad.yaml'), triggerYaml('team-a/x', 'x.team-a.example.com').replace('namespace: team-a', 'namespace: team-a\n  colour: blue'));
  const server = await ScriptedApiServer.start(t, createEverything);
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.deepEqual(server.requests, []);
  assert.match(run.stdout, /Manifest errors:\n {2}.*bad\.yaml#1 metadata\.colour: /);
  assert.match(run.stdout, /Nothing was applied: 1 manifest error\(s\)\./);
});

test('the same object defined in two files is an error too, so which one would win is never a guess', async (t) => {
  const dir = await tmpDir(t);
  await writeFile(join(dir, 'a.yaml'), SHOP_YAML);
  await writeFile(join(dir, 'b.yaml'), SHOP_YAML);
  const server = await ScriptedApiServer.start(t, createEverything);
  const run = await apply(server, '-f', join(dir, 'a.yaml'), '-f', join(dir, 'b.yaml'));
  assert.equal(run.code, 1);
  assert.deepEqual(server.requests, []);
  assert.match(run.stdout, /b\.yaml#1 metadata\.name: duplicate HTTPTrigger team-a\/shop: already defined in .*a\.yaml#1/);
});

test('a server that refuses connections: exit 1, a message naming the server, nothing applied', async (t) => {
  const dir = await manifestDir(t);
  const url = await refusingUrl();
  const run = await runApiCli(['apply', '-f', dir, '--server', url, '--token', TOKEN]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`triggerway apply: cannot reach the triggerway server at ${url}: connect ECONNREFUSED .*; stopped with 4 of 4 object\\(s\\) not applied`));
});

test('a 401 stops apply: the token would be refused for every other object too', async (t) => {
  const dir = await manifestDir(t);
  const server = await ScriptedApiServer.start(t, () => apiError(401, 'Unauthorized', 'unknown token'));
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.equal(server.requests.length, 1);
  assert.match(run.stdout, /^HostGroup\s+default\s+failed\s+False\s+Unauthorized\s+unknown token$/m);
  assert.match(run.stderr, /the server refused the token: unknown token \(401 Unauthorized\); stopped with 3 of 4 object\(s\) not applied/);
});

test('an answer that is not an ApiError (a proxy page) is still shown with its status', async (t) => {
  const dir = await tmpDir(t);
  await writeFile(join(dir, 'hg.yaml'), DEFAULT_HOSTGROUP_YAML);
  const server = await ScriptedApiServer.start(t, () => ({ status: 502, body: '<html>upstream unavailable</html>\n', contentType: 'text/html' }));
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^HostGroup\s+default\s+failed\s+False\s+Bad Gateway\s+<html>upstream unavailable<\/html>$/m);
});

test('a server echoing the Authorization header in an error never gets the token printed', async (t) => {
  const dir = await tmpDir(t);
  await writeFile(join(dir, 'hg.yaml'), DEFAULT_HOSTGROUP_YAML);
  const server = await ScriptedApiServer.start(t, (request) =>
    apiError(403, 'Forbidden', `refused ${request.headers['authorization']}`, [{ field: 'token', message: String(request.headers['authorization']) }]),
  );
  const run = await apply(server, '-f', dir);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /refused Bearer \[redacted\]/);
});

test('apply without -f, with a positional path or with an unknown flag is a usage error (exit 2)', async () => {
  for (const [argv, message] of [
    [['apply', '--token', TOKEN], /triggerway apply: give at least one -f PATH/],
    [['apply', '--token', TOKEN, 'dir'], /triggerway apply: .*dir/],
    [['apply', '--token', TOKEN, '-f', 'x', '--prune'], /triggerway apply: unknown option '--prune'/],
  ] as const) {
    const run = await runApiCli(argv);
    assert.equal(run.code, 2, argv.join(' '));
    assert.match(run.stderr, message);
    assert.match(run.stderr, /Run 'triggerway apply --help' for usage\./);
  }
});

test('the documents sent are the ones check validated, document for document', async (t) => {
  // Three documents, the middle one empty: `#3` must still be the third as the file shows it.
  const dir = await tmpDir(t);
  const text = documents(DEFAULT_HOSTGROUP_YAML, '# nothing here\n', SHOP_YAML);
  await writeFile(join(dir, 'all.yaml'), text);
  const server = await ScriptedApiServer.start(t, createEverything);
  const run = await apply(server, '-f', dir, '--json');
  assert.equal(run.code, 0);
  const expected = parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[];
  assert.deepEqual(server.requests.map((r) => JSON.parse(r.body) as unknown), [expected[0]!.toJS(), expected[2]!.toJS()]);
  assert.deepEqual((JSON.parse(run.stdout) as { results: { source: { doc: number } }[] }).results.map((r) => r.source.doc), [1, 3]);
});
