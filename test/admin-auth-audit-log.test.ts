/** The audit log: JSON lines of typed fields, never a token, and a failing destination never throws. */
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { AuditLog, type AuditEntry } from '../src/admin/auth/audit-log.js';
import { SECRET_MARK, TEAM_A_TOKEN } from './helpers/admin-auth-tokens.js';
import { EventQueue } from './helpers/event-queue.js';
import { tmpDir } from './helpers/tmp-dir.js';

const at = (): Date => new Date('2026-11-25T10:00:00.000Z');

const DENIED: AuditEntry = {
  event: 'denied',
  method: 'PUT',
  path: '/v1/namespaces/team-b/httptriggers/shop',
  status: 403,
  token: 'team-a-ci',
  scope: { role: 'tenant', namespace: 'team-a' },
  remoteAddress: '10.0.0.7',
  reason: 'token "team-a-ci" is bound to namespace "team-a" and may not write HTTPTriggers in namespace "team-b"',
};

async function lines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  assert.ok(text.endsWith('\n'), 'every line is complete');
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

test('each event is one JSON line with the typed fields, in a file whose directory is created', async (t) => {
  const path = join(await tmpDir(t), 'audit', 'nested', 'admin-audit.log');
  const log = await AuditLog.open(path, { now: at });
  log.record(DENIED);
  log.record({ event: 'unauthenticated', method: 'GET', path: '/v1/status', status: 401, remoteAddress: '10.0.0.8', reason: 'no bearer token' });
  log.record({ event: 'write', method: 'DELETE', path: '/v1/namespaces/team-a/httptriggers/shop', status: 200, token: 'platform-ops', scope: { role: 'platform' } });
  await log.close();
  assert.deepEqual(await lines(path), [
    { time: '2026-11-25T10:00:00.000Z', ...DENIED },
    { time: '2026-11-25T10:00:00.000Z', event: 'unauthenticated', method: 'GET', path: '/v1/status', status: 401, remoteAddress: '10.0.0.8', reason: 'no bearer token' },
    { time: '2026-11-25T10:00:00.000Z', event: 'write', method: 'DELETE', path: '/v1/namespaces/team-a/httptriggers/shop', status: 200, token: 'platform-ops', scope: { role: 'platform' } },
  ]);
});

test('a reopened log appends to what is there', async (t) => {
  const path = join(await tmpDir(t), 'audit.log');
  for (let run = 0; run < 2; run++) {
    const log = await AuditLog.open(path, { now: at });
    log.record(DENIED);
    await log.close();
  }
  assert.equal((await lines(path)).length, 2);
});

test('no token reaches the log: not from a query string, nor from fields the type does not have', async (t) => {
  const path = join(await tmpDir(t), 'audit.log');
  const log = await AuditLog.open(path, { now: at });
  const smuggled = { ...DENIED, path: `/v1/status?access_token=${TEAM_A_TOKEN}`, headers: { authorization: `Bearer ${TEAM_A_TOKEN}` }, authorization: TEAM_A_TOKEN };
  log.record(smuggled as AuditEntry);
  await log.close();
  const text = await readFile(path, 'utf8');
  assert.ok(!text.includes(SECRET_MARK), text);
  assert.deepEqual(Object.keys(JSON.parse(text) as object), ['time', 'event', 'method', 'path', 'status', 'token', 'scope', 'remoteAddress', 'reason']);
  assert.equal((JSON.parse(text) as { path: string }).path, '/v1/status');
});

test('a client-supplied path cannot break a line or grow it without bound', async (t) => {
  const path = join(await tmpDir(t), 'audit.log');
  const log = await AuditLog.open(path, { now: at });
  log.record({ ...DENIED, path: `/v1/x\n{"event":"write"}\r${'y'.repeat(10_000)}` });
  await log.close();
  const [line] = await lines(path);
  assert.ok(((line as { path: string }).path.length) < 2100);
  assert.equal((await readFile(path, 'utf8')).split('\n').length, 2, 'one line and the final newline');
});

const unwritable: ReadonlyArray<readonly [string, (dir: string) => Promise<string>]> = [
  [
    'a path under a regular file',
    async (dir) => {
      await writeFile(join(dir, 'file'), '');
      return join(dir, 'file', 'audit.log');
    },
  ],
  [
    'a path that is a directory',
    async (dir) => {
      await mkdir(join(dir, 'audit.log'));
      return join(dir, 'audit.log');
    },
  ],
];

for (const [label, makePath] of unwritable) {
  test(`an unwritable destination is reported once and every record after it is dropped without throwing: ${label}`, async (t) => {
    const errors = new EventQueue<Error>();
    const log = await AuditLog.open(await makePath(await tmpDir(t)), { onError: errors.push });
    for (let i = 0; i < 5; i++) log.record(DENIED);
    await log.close();
    const error = await errors.next(1_000);
    assert.match(error.message, /^audit log failed, no more audit lines will be written: E(NOTDIR|EXIST|ISDIR)/);
    assert.deepEqual(await errors.drainAfter(100), []);
  });
}

test('a stream that dies under the log is reported once, and later records are dropped', async (t) => {
  const stream = createWriteStream(join(await tmpDir(t), 'audit.log'));
  const errors = new EventQueue<Error>();
  const log = AuditLog.toStream(stream, { onError: errors.push });
  stream.destroy();
  for (let i = 0; i < 3; i++) log.record(DENIED);
  assert.match((await errors.next(1_000)).message, /^audit log failed/);
  assert.deepEqual(await errors.drainAfter(100), []);
  await log.close();
});

test('a borrowed stream gets the lines and is left open at close', async () => {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const log = AuditLog.toStream(stream, { now: at });
  log.record(DENIED);
  await log.close();
  log.record(DENIED);
  assert.deepEqual(JSON.parse(text) as unknown, { time: '2026-11-25T10:00:00.000Z', ...DENIED });
  assert.equal(stream.writableEnded, false);
});
