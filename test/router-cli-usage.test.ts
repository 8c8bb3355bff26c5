/**
 * The router flags of `serve` and `router` from a real process: a bad flag is exit 2 with a
 * message naming it, before anything starts; a port already taken is exit 1 with a clear
 * log line, and the process leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { ChildLines } from './helpers/cli.js';
import { exited, logged, loggedPort, parseLog, serveArgs, serveDir, startCli } from './helpers/router-cli.js';
import { onTestEnd } from './helpers/tmp-dir.js';

async function listen(port = 0): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

/** A loopback port held by the test until it ends. */
async function takenPort(t: TestContext): Promise<number> {
  const server = await listen();
  onTestEnd(t, () => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

/** The port can be bound again: the process that held it released it. */
async function assertFree(port: number): Promise<void> {
  const server = await listen(port);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const ROUTER = ['router', '--xds', '127.0.0.1:1', '--node-id', 'edge-1', '--log-format', 'json', '--router-listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0'];

const usageErrors: readonly { readonly name: string; readonly command: 'serve' | 'router'; readonly args: readonly string[]; readonly message: RegExp }[] = [
  { name: '--workers 0', command: 'serve', args: ['--workers', '0'], message: /--workers must be "auto" or a whole number from 1 to 64, got "0"/ },
  { name: '--workers x', command: 'serve', args: ['--workers', 'x'], message: /--workers must be "auto" or a whole number from 1 to 64, got "x"/ },
  { name: '--workers 1.5', command: 'router', args: ['--workers', '1.5'], message: /--workers must be .*got "1\.5"/ },
  { name: '--max-request-body 12XB', command: 'serve', args: ['--max-request-body', '12XB'], message: /--max-request-body must be a size such as .*got "12XB"/ },
  { name: '--max-request-body 0', command: 'router', args: ['--max-request-body', '0'], message: /--max-request-body must be a size/ },
  { name: '--admin-listen equal to --router-listen', command: 'serve', args: ['--router-listen', '127.0.0.1:18555', '--admin-listen', '127.0.0.1:18555'], message: /--admin-listen must differ from --router-listen/ },
  { name: '--router-listen with a host name', command: 'router', args: ['--router-listen', 'localhost:8080'], message: /--router-listen must be IP:PORT/ },
  { name: '--access-log without a value', command: 'serve', args: ['--access-log'], message: /--access-log/ },
];

for (const { name, command, args, message } of usageErrors) {
  test(`${command} ${name}: exit 2 naming the flag, nothing started`, { timeout: 15_000 }, async (t) => {
    const base = command === 'serve' ? serveArgs(await serveDir(t, 9)) : ROUTER;
    const cli = startCli(t, [...base, ...args]);
    assert.deepEqual(await exited(cli), { code: 2, signal: null });
    assert.match(cli.stderr, message);
    assert.match(cli.stderr, new RegExp(`Run 'triggerway ${command} --help' for usage`));
    assert.deepEqual(cli.lines, [], 'a usage error starts nothing');
  });
}

test('router without --xds or --node-id: exit 2 naming the flag', { timeout: 15_000 }, async (t) => {
  const noXds = startCli(t, ['router', '--node-id', 'edge-1']);
  const noNode = startCli(t, ['router', '--xds', '127.0.0.1:18000']);
  const emptyNode = startCli(t, ['router', '--xds', '127.0.0.1:18000', '--node-id', '']);
  for (const [cli, flag] of [[noXds, /--xds HOST:PORT is required/], [noNode, /--node-id ID is required/], [emptyNode, /--node-id ID is required/]] as const) {
    assert.deepEqual(await exited(cli), { code: 2, signal: null });
    assert.match(cli.stderr, flag);
    assert.deepEqual(cli.lines, []);
  }
});

/** Exit 1 with `cannot start the router` naming the taken address; returns that line. */
async function assertCannotStart(cli: ChildLines, port: number): Promise<Record<string, unknown>> {
  assert.deepEqual(await exited(cli), { code: 1, signal: null });
  const line = cli.lines.find(logged('cannot start the router'));
  assert.ok(line, `no "cannot start the router" line in:\n${cli.lines.join('\n')}\n${cli.stderr}`);
  const log = parseLog(line);
  assert.equal(log.level, 'error');
  assert.match(String(log['error']), new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
  assert.equal(cli.lines.filter(logged('router listening')).length, 0);
  assert.equal(cli.stderr, '', 'a taken port is a log line, not a crash');
  return log;
}

for (const flag of ['--router-listen', '--admin-listen']) {
  test(`serve with ${flag} on a taken port: exit 1, and the xDS port is released`, { timeout: 15_000 }, async (t) => {
    const port = await takenPort(t);
    const serve = startCli(t, serveArgs(await serveDir(t, 9), flag, `127.0.0.1:${port}`));
    const xdsPort = await loggedPort(serve, 'xDS server listening');
    await assertCannotStart(serve, port);
    await assertFree(xdsPort);
  });

  test(`router with ${flag} on a taken port: exit 1`, { timeout: 15_000 }, async (t) => {
    const port = await takenPort(t);
    const router = startCli(t, [...ROUTER, flag, `127.0.0.1:${port}`]);
    await assertCannotStart(router, port);
  });
}

test('serve --workers 2 with --admin-listen on a taken port: exit 1, no worker left', { timeout: 20_000 }, async (t) => {
  const port = await takenPort(t);
  const serve = startCli(t, serveArgs(await serveDir(t, 9), '--workers', '2', '--admin-listen', `127.0.0.1:${port}`));
  await assertCannotStart(serve, port);
});

test('serve --workers 2 with --router-listen on a taken port: exit 1', { timeout: 20_000 }, async (t) => {
  const port = await takenPort(t);
  const serve = startCli(t, serveArgs(await serveDir(t, 9), '--workers', '2', '--router-listen', `127.0.0.1:${port}`));
  assert.deepEqual(await exited(serve, 8_000), { code: 1, signal: null });
  assert.ok(serve.lines.some(logged('cannot start the router')));
});
