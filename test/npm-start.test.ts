/**
 * `npm start` (dist/examples/start.js) as a newcomer runs it: demo gateways come up on the
 * bundled HostGroup's addresses and `serve` admits the examples, refusing only the
 * deliberate conflict.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
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
  assert.equal(await start.stop(), 0);
});
