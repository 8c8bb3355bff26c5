/**
 * What the API acknowledged survives: restarts and SIGKILLs of `serve` keep every
 * acknowledged write and the host owners, parallel writers get exactly the ownership their
 * creation order dictates and no lost update, and triggers whose HostGroup is gone are reaped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, conditionOf, restartApiServe, startApiServe, TOKENS, triggerDoc, triggerPath, type ApiServe } from './helpers/admin-api.js';
import { seededRandom } from './helpers/seeded-random.js';
import { exited, logged, parseLog, serveArgs, startCli, stopCli } from './helpers/router-cli.js';

/** host → owning namespace, from the status view. */
async function owners(serve: ApiServe): Promise<Map<string, string>> {
  const status = (await call(serve.ports.admin, 'GET', '/v1/status', { token: TOKENS.platform })).json;
  return new Map(status.hosts.map((host: { host: string; namespace: string }) => [host.host, host.namespace]));
}

async function storedVersions(serve: ApiServe, namespaces: readonly string[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (const namespace of namespaces) {
    const list = (await call(serve.ports.admin, 'GET', triggerPath(namespace), { token: TOKENS.platform })).json;
    for (const item of list.items) versions.set(`${namespace}/${item.metadata.name}`, Number(item.metadata.resourceVersion));
  }
  return versions;
}

test('50 parallel writers on overlapping hosts: ownership follows creation order; a stale resourceVersion gets 409', { timeout: 40_000 }, async (t) => {
  const serve = await startApiServe(t);
  const admin = serve.ports.admin;
  const writes = Array.from({ length: 50 }, (_, i) => {
    const namespace = `team-${i % 5}`;
    return call(admin, 'PUT', triggerPath(namespace, `w${i}`), { token: TOKENS.platform, body: triggerDoc(namespace, `w${i}`, `h${i % 7}.example.com`) });
  });
  const replies = await Promise.all(writes);
  assert.ok(replies.every((reply) => reply.status === 201), replies.map((r) => r.status).join(','));
  const oldest = new Map<string, { at: string; namespace: string }>();
  for (const reply of replies) {
    const host = reply.json.spec.ingress.host as string;
    const at = reply.json.metadata.creationTimestamp as string;
    const seen = oldest.get(host);
    if (!seen || at < seen.at) oldest.set(host, { at, namespace: reply.json.metadata.namespace });
  }
  const times = replies.map((reply) => reply.json.metadata.creationTimestamp as string);
  assert.equal(new Set(times).size, 50, 'creation times are unique, so creation order is total');
  assert.deepEqual(Object.fromEntries(await owners(serve)), Object.fromEntries([...oldest].map(([host, { namespace }]) => [host, namespace])));

  const base = replies[0]!.json;
  const racers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      call(admin, 'PUT', triggerPath(base.metadata.namespace, base.metadata.name), {
        token: TOKENS.platform,
        body: triggerDoc(base.metadata.namespace, base.metadata.name, `racer-${i}.example.com`),
        headers: { 'if-match': `"${base.metadata.resourceVersion}"` },
      }),
    ),
  );
  const statuses = racers.map((reply) => reply.status).sort();
  assert.deepEqual([statuses.filter((s) => s === 200).length, statuses.filter((s) => s === 409).length], [1, 49]);
  const winner = racers.find((reply) => reply.status === 200)!;
  const now = (await call(admin, 'GET', triggerPath(base.metadata.namespace, base.metadata.name), { token: TOKENS.platform })).json;
  assert.equal(now.spec.ingress.host, winner.json.spec.ingress.host, 'the one acknowledged update is the one in effect');
});

test('a restart brings back every write in creation order, with the same host owners', { timeout: 40_000 }, async (t) => {
  const first = await startApiServe(t);
  const admin = first.ports.admin;
  await call(admin, 'PUT', triggerPath('team-b', 'late'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'late', 'other.example.com') });
  await call(admin, 'PUT', triggerPath('team-a', 'shop'), { token: TOKENS.teamA, body: triggerDoc('team-a', 'shop', 'shop.example.com') });
  // Sorted by name, team-a/a-grab would win a tie; only creation order makes team-a/shop the owner.
  const grab = await call(admin, 'PUT', triggerPath('team-b', 'a-grab'), { token: TOKENS.teamB, body: triggerDoc('team-b', 'a-grab', 'shop.example.com') });
  assert.equal(conditionOf(grab.json.status, 'Accepted')?.reason, 'HostnameConflict');
  const before = await owners(first);
  const listed = (await call(admin, 'GET', triggerPath('team-b'), { token: TOKENS.platform })).json.items;
  await stopCli(first.cli);

  const second = await restartApiServe(t, first.dir, first.tokensFile);
  assert.deepEqual(await owners(second), before);
  const again = (await call(second.ports.admin, 'GET', triggerPath('team-b'), { token: TOKENS.platform })).json.items;
  // Programmed depends on when the data plane connected; the rest must be as it was.
  const stable = (items: any[]) => items.map((item) => ({ ...item, status: { ...item.status, conditions: item.status.conditions.filter((c: any) => c.type !== 'Programmed') } }));
  assert.deepEqual(stable(again), stable(listed), 'objects, versions, creation times and admission status are back as they were');
});

test('a second serve on the same data directory refuses to start and changes nothing', { timeout: 30_000 }, async (t) => {
  const first = await startApiServe(t);
  const second = startCli(t, serveArgs(first.dir, '--tokens', first.tokensFile));
  const exit = await exited(second);
  assert.equal(exit.code, 1);
  const line = parseLog(await second.next(logged('cannot lock the data directory'), 5_000, 0));
  assert.match(String(line['error']), new RegExp(`held by process ${first.cli.child.pid}`));
  assert.equal((await call(first.ports.admin, 'GET', triggerPath('team-a'), { token: TOKENS.teamA })).status, 200, 'the first keeps serving');
});

test('serve SIGKILLed at random moments while writes flow: every acknowledged write survives, owners never move', { timeout: 120_000 }, async (t) => {
  const random = seededRandom(20261204);
  let serve = await startApiServe(t);
  const acked = new Map<string, number>();
  let previousOwners = new Map<string, string>();
  const namespaces = ['team-0', 'team-1', 'team-2'];
  let next = 0;
  for (let round = 0; round < 8; round += 1) {
    const admin = serve.ports.admin;
    let killed = false;
    const writer = (async () => {
      while (!killed) {
        const i = next++;
        const namespace = namespaces[i % 3]!;
        const id = `${namespace}/t${i}`;
        const reply = await call(admin, 'PUT', triggerPath(namespace, `t${i}`), { token: TOKENS.platform, body: triggerDoc(namespace, `t${i}`, `h${i % 10}.example.com`) }).catch(() => undefined);
        if (reply && (reply.status === 201 || reply.status === 200)) acked.set(id, Number(reply.json.metadata.resourceVersion));
        else if (reply) assert.fail(`write ${id}: ${reply.status} ${reply.text}`);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(random() * 400)));
    serve.cli.child.kill('SIGKILL');
    killed = true;
    await exited(serve.cli);
    await writer;

    serve = await restartApiServe(t, serve.dir, serve.tokensFile);
    const stored = await storedVersions(serve, namespaces);
    for (const [id, version] of acked) {
      assert.ok((stored.get(id) ?? -1) >= version, `round ${round}: acknowledged ${id}@${version} is back (found ${stored.get(id)})`);
    }
    const nowOwners = await owners(serve);
    for (const [host, namespace] of previousOwners) assert.equal(nowOwners.get(host), namespace, `round ${round}: ${host} keeps its owner`);
    previousOwners = nowOwners;
  }
  assert.ok(acked.size >= 8, `writes were acknowledged during the rounds (${acked.size})`);
});

test('a trigger whose HostGroup is deleted is reaped after the grace period, and the reaper logs it', { timeout: 30_000 }, async (t) => {
  const serve = await startApiServe(t, ['--reap-after', '1']);
  const admin = serve.ports.admin;
  const group = { kind: 'HostGroup', metadata: { name: 'blue', labels: { hostgroup: 'blue' } }, spec: { gateways: [{ address: '127.0.0.1', port: 9 }] } };
  assert.equal((await call(admin, 'PUT', '/v1/hostgroups/blue', { token: TOKENS.platform, body: group })).status, 201);
  const doc = triggerDoc('team-a', 'blue-app', 'blue.example.com');
  (doc['spec'] as Record<string, unknown>)['hostSelector'] = { hostgroup: 'blue' };
  const written = await call(admin, 'PUT', triggerPath('team-a', 'blue-app'), { token: TOKENS.teamA, body: doc });
  assert.equal(conditionOf(written.json.status, 'ResolvedRefs')?.status, 'True');
  const from = serve.cli.lines.length;
  assert.equal((await call(admin, 'DELETE', '/v1/hostgroups/blue', { token: TOKENS.platform })).status, 200);
  await serve.cli.next(logged('reaper removed a trigger whose HostGroup is gone', { trigger: 'team-a/blue-app' }), 10_000, from);
  assert.equal((await call(admin, 'GET', triggerPath('team-a', 'blue-app'), { token: TOKENS.teamA })).status, 404);
});
