/**
 * `triggerway serve --workers 2` as a real process tree: two router workers sharing one
 * port, metrics summed over them on the admin port, a killed worker restarted while the
 * other routes on, and nothing left running after SIGTERM.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ChildLines } from './helpers/cli.js';
import { alive, demoGateway, eventually, get, loggedPort, logged, metricSum, parseLog, routed, serveArgs, serveDir, startCli, stopCli } from './helpers/router-cli.js';

interface ReadyWorker {
  readonly worker: number;
  readonly pid: number;
  readonly port: number;
}

/** The next `router worker ready` line (after `from`) of each of `workers`. */
async function workersReady(cli: ChildLines, workers: readonly number[], from: number): Promise<ReadyWorker[]> {
  const ready: ReadyWorker[] = [];
  for (const worker of workers) {
    const line = parseLog(await cli.next(logged('router worker ready', { worker }), 15_000, from));
    ready.push({ worker, pid: line['pid'] as number, port: line['port'] as number });
  }
  return ready;
}

const requestsTotal = async (admin: number): Promise<number> => {
  const metrics = await get(admin, '/metrics');
  assert.equal(metrics.status, 200, metrics.body);
  return metricSum(metrics.body, 'triggerway_router_requests_total', { tenant: 'team-a' });
};

/** `count` routed requests, each on its own connection, so the primary spreads them. */
async function sendRouted(port: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) assert.equal((await routed(port, 'shop.example.com', `/r${i}`)).tenant, 'team-a');
}

test('serve --workers 2 routes with two worker processes, sums their metrics, and restarts a killed one', { timeout: 45_000 }, async (t) => {
  const dir = await serveDir(t, await demoGateway(t));
  await dir.trigger('team-a/shop', 'shop.example.com');
  const accessLog = join(dir.root, 'access.log');
  const serve = startCli(t, serveArgs(dir, '--workers', '2', '--access-log', accessLog));
  const admin = await loggedPort(serve, 'admin listening');
  const [first, second] = await workersReady(serve, [0, 1], 0);
  assert.ok(first && second);
  assert.notEqual(first.pid, second.pid);
  assert.ok(![first.pid, second.pid].includes(serve.child.pid!), 'workers are processes of their own');
  assert.ok(first.port > 0 && first.port === second.port, 'the workers share one port');
  const port = first.port;
  assert.equal((await get(admin, '/readyz')).status, 200);

  await sendRouted(port, 40);
  assert.equal(await requestsTotal(admin), 40, 'the admin port sums every worker');
  const logLines = await eventually(async () => {
    const lines = (await readFile(accessLog, 'utf8')).split('\n').filter(Boolean);
    assert.equal(lines.length, 40, 'both workers append to the one access log');
    return lines.map((line) => JSON.parse(line) as { status: number; tenant: string });
  });
  assert.ok(logLines.every((line) => line.status === 200 && line.tenant === 'team-a'));

  // Worker 0 dies: the primary says so; the sum is now worker 1's share alone, which shows
  // each worker served some of the 40 and that the sum really spans processes.
  let mark = serve.lines.length;
  process.kill(first.pid, 'SIGKILL');
  const exit = parseLog(await serve.next(logged('router worker exited; restarting it', { worker: 0, pid: first.pid }), 10_000, mark));
  assert.deepEqual([exit.level, exit['signal']], ['error', 'SIGKILL']);
  const survivors = await requestsTotal(admin);
  assert.ok(survivors > 0 && survivors < 40, `worker 1 served ${survivors} of 40`);
  await sendRouted(port, 10); // while worker 0 is down

  const [restarted] = await workersReady(serve, [0], mark);
  assert.ok(restarted && restarted.pid !== first.pid && restarted.port === port);
  assert.equal((await get(admin, '/readyz')).status, 200);
  await sendRouted(port, 10);
  assert.equal(await requestsTotal(admin), survivors + 20);

  mark = serve.lines.length;
  assert.deepEqual(await stopCli(serve), { code: 0, signal: null });
  for (const { pid } of [second, restarted]) assert.equal(alive(pid), false, `worker ${pid} outlived serve`);
  assert.equal(alive(first.pid), false);
  assert.equal(serve.lines.slice(mark).filter(logged('router worker exited; restarting it')).length, 0, 'a stop is not a crash');
  assert.ok(serve.lines.some(logged('stopped')));
  assert.equal(serve.stderr, '');
});
