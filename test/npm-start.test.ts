/**
 * `npm start` (dist/examples/start.js) as a newcomer runs it: demo gateways come up on the
 * bundled HostGroup's addresses, `serve` admits the examples, refusing only the deliberate
 * conflict, and the Node router routes the README's requests.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { ChildLines } from './helpers/cli.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';

const START = fileURLToPath(new URL('../examples/start.js', import.meta.url));

test('npm start serves the examples with demo gateways answering', { timeout: 30_000 }, async (t) => {
  const start = new ChildLines(process.execPath, [START], await tmpDir(t));
  onTestEnd(t, () => start.stop());
  await start.next((line) => line.includes('watching for changes'));
  assert.ok(start.lines.some((line) => /route table loaded version=[0-9a-f]{16} triggers=7 hosts=6$/.test(line)), start.lines.join('\n'));
  const refused = start.lines.filter((line) => line.includes('trigger refused'));
  assert.equal(refused.length, 1);
  assert.match(refused[0]!, /trigger=team-b\/status-page .*reason=HostnameConflict/);
  for (const port of [9001, 9002]) {
    const response = await fetch(`http://127.0.0.1:${port}/hello`, { headers: { 'x-workload-id': 'team-a/storefront', 'x-tenant': 'team-a' } });
    assert.deepEqual(await response.json(), {
      gateway: `demo-gateway:${port}`,
      workloadId: 'team-a/storefront',
      tenant: 'team-a',
      host: `127.0.0.1:${port}`,
      method: 'GET',
      path: '/hello',
    });
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  }
  await start.next((line) => line.includes('router has its first configuration'), 10_000, 0);
  // fetch() may not set Host (a forbidden header); undici's request may, as curl does.
  const routed = await request('http://127.0.0.1:8080/api/orders', { headers: { host: 'shop.team-a.example.com' } });
  assert.equal(routed.statusCode, 200);
  assert.deepEqual(
    { ...((await routed.body.json()) as object), gateway: undefined },
    { gateway: undefined, workloadId: 'team-a/shop-api', tenant: 'team-a', host: 'shop.team-a.example.com', method: 'GET', path: '/api/orders' },
  );
  const wildcard = await request('http://127.0.0.1:8080/', { headers: { host: 'pr-7.preview.team-a.example.com' } });
  assert.equal(wildcard.statusCode, 200);
  await wildcard.body.dump();
  const unknown = await request('http://127.0.0.1:8080/', { headers: { host: 'unknown.example.com' } });
  assert.equal(unknown.statusCode, 404);
  assert.equal(await unknown.body.text(), 'not found\n');
  const metrics = await (await fetch('http://127.0.0.1:8081/metrics')).text();
  assert.match(metrics, /triggerway_router_requests_total\{tenant="team-a",trigger="team-a\/shop-api",code_class="2xx"\} 1/);
  assert.equal(await start.stop(), 0);
});
