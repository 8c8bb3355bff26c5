import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { encodeFrame } from '../src/store/log-frame.js';
import { ObjectStore, StoreCorruptError } from '../src/store/object-store.js';
import { hostGroupKey, put, triggerKey } from './helpers/store-objects.js';
import { tmpDir } from './helpers/tmp-dir.js';

/** A log of three commits; returns its path and the byte offset of each record. */
async function threeCommits(t: TestContext): Promise<{ dir: string; log: string; offsets: number[] }> {
  const dir = await tmpDir(t);
  const store = await ObjectStore.open({ dir });
  for (const name of ['a', 'b', 'c']) await store.commit([put(triggerKey('team-a', name), { host: `${name}.example.com` })]);
  await store.close();
  const log = join(dir, 'objects.log');
  const bytes = await readFile(log);
  const offsets = [0];
  for (let at = bytes.indexOf('\nTWL1 '); at !== -1; at = bytes.indexOf('\nTWL1 ', at + 1)) offsets.push(at + 1);
  return { dir, log, offsets };
}

/** Asserts that open refuses the store, naming the log and `offset`, and leaves the file as it was. */
async function assertCorrupt(dir: string, offset: number, problem: RegExp): Promise<void> {
  const log = join(dir, 'objects.log');
  const bytes = await readFile(log);
  await assert.rejects(ObjectStore.open({ dir, onWarning: (message) => assert.fail(message) }), (error: unknown) => {
    assert.ok(error instanceof StoreCorruptError);
    assert.equal(error.code, 'ERR_TRIGGERWAY_STORE_CORRUPT');
    assert.equal(error.path, log);
    assert.equal(error.offset, offset);
    assert.match(error.message, problem);
    assert.match(error.message, new RegExp(`${log} is corrupt at byte ${offset}: .*will not skip`));
    return true;
  });
  assert.deepEqual(await readFile(log), bytes);
}

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at] = (bytes[at] ?? 0) ^ 0x20;
  await writeFile(path, bytes);
}

const record = (value: unknown): Buffer => encodeFrame([JSON.stringify(value)]);
const object = (name: string, resourceVersion: string, creationTimestamp: string) => ({
  kind: 'HostGroup',
  name,
  resourceVersion,
  creationTimestamp,
  document: { kind: 'HostGroup', metadata: { name } },
});

describe('ObjectStore corruption', () => {
  it('refuses a record whose bytes changed, when whole records follow it', async (t) => {
    const { dir, log, offsets } = await threeCommits(t);
    await flipByte(log, (offsets[1] ?? 0) + 60);
    await assertCorrupt(dir, offsets[1] ?? -1, /checksum does not match.*whole records follow/);
  });

  it('refuses the first record when its header is damaged', async (t) => {
    const { dir, log } = await threeCommits(t);
    await flipByte(log, 6);
    await assertCorrupt(dir, 0, /whole records follow it/);
  });

  it('refuses a record with a valid checksum whose JSON is not a record, even the last one', async (t) => {
    const { dir, log } = await threeCommits(t);
    const end = (await readFile(log)).length;
    await appendFile(log, record({ rev: 4, ops: [{ op: 'put', object: { ...object('x', '4', '2030-01-01T00:00:00.000Z'), kind: 'Pod' } }] }));
    await assertCorrupt(dir, end, /ops\[0\]\.object kind must be one of/);
  });

  it('refuses a record with a field it does not know', async (t) => {
    const { dir, log } = await threeCommits(t);
    const end = (await readFile(log)).length;
    await appendFile(log, Buffer.concat([record({ rev: 4, ops: [], compressed: true }), record({ rev: 5, ops: [] })]));
    await assertCorrupt(dir, end, /unknown field "compressed"/);
  });

  it('refuses revisions that do not increase', async (t) => {
    const { dir, log } = await threeCommits(t);
    const end = (await readFile(log)).length;
    await appendFile(log, record({ rev: 3, ops: [{ op: 'put', object: object('x', '3', '2030-01-01T00:00:00.000Z') }] }));
    await assertCorrupt(dir, end, /revision 3 does not follow revision 3/);
  });

  it('refuses records that do not follow from the state: a delete of nothing, a create dated before the last', async (t) => {
    const { dir, log } = await threeCommits(t);
    const end = (await readFile(log)).length;
    const bytes = await readFile(log);
    await appendFile(log, record({ rev: 4, ops: [{ op: 'delete', key: hostGroupKey('none') }] }));
    await assertCorrupt(dir, end, /deletes HostGroup\/none, which does not exist/);
    await writeFile(log, Buffer.concat([bytes, record({ rev: 4, ops: [{ op: 'put', object: object('x', '4', '2000-01-01T00:00:00.000Z') }] })]));
    await assertCorrupt(dir, end, /creates HostGroup\/x at 2000-01-01T00:00:00.000Z, not after the last create/);
  });

  it('loads none of the records written together when one of them is bad', async (t) => {
    const { dir, log } = await threeCommits(t);
    const end = (await readFile(log)).length;
    const good = JSON.stringify({ rev: 4, ops: [{ op: 'put', object: object('x', '4', '2030-01-01T00:00:00.000Z') }] });
    await appendFile(log, encodeFrame([good, JSON.stringify({ rev: 5, ops: [{ op: 'put', object: object('y', '4', '2030-01-01T00:00:00.001Z') }] })]));
    await assertCorrupt(dir, end, /record 2 of the 2 written together here: ops\[0\]\.object\.resourceVersion must be that of the record, 5/);
  });

  it('opens again once the damage is repaired', async (t) => {
    const { dir, log, offsets } = await threeCommits(t);
    const at = (offsets[1] ?? 0) + 60;
    await flipByte(log, at);
    await assert.rejects(ObjectStore.open({ dir }), StoreCorruptError);
    await flipByte(log, at);
    const store = await ObjectStore.open({ dir });
    assert.deepEqual(store.list().map((stored) => stored.name), ['a', 'b', 'c']);
    await store.close();
  });
});
