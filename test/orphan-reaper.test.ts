/** The orphan reaper: triggers without a HostGroup past the grace period leave the API store; file triggers are reported once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TriggerStatus } from '../src/admission/types.js';
import { OrphanReaper } from '../src/control/orphan-reaper.js';
import { ObjectStore } from '../src/store/object-store.js';
import type { LogFields } from '../src/util/logger.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';

const orphan = (name: string, file?: string): TriggerStatus => ({
  namespace: 'team-a',
  name,
  ...(file && { source: { file, doc: 1 } }),
  hosts: [`${name}.example.com`],
  routes: 1,
  conditions: [],
  rejections: [{ reason: 'HostGroupNotFound', field: 'spec.hostSelector', message: 'no HostGroup matches hostgroup=blue' }],
});

test('an orphan is removed only after the grace period, and a change restarts its clock; a file orphan is reported once', async (t) => {
  const store = await ObjectStore.open({ dir: await tmpDir(t) });
  onTestEnd(t, () => store.close());
  const key = { kind: 'HTTPTrigger', namespace: 'team-a', name: 'app' } as const;
  await store.commit([{ op: 'put', key, document: { kind: 'HTTPTrigger', metadata: { name: 'app', namespace: 'team-a' } } }]);
  let now = 0;
  let statuses: TriggerStatus[] = [orphan('app'), orphan('filed', '/m/filed.yaml')];
  const logs: { message: string; fields: LogFields | undefined }[] = [];
  const log = { info: () => {}, warn: (message: string, fields?: LogFields) => logs.push({ message, fields }), error: () => {} };
  const reaper = new OrphanReaper({ store, statuses: () => statuses, graceMs: 1000, log, now: () => now });

  await reaper.sweep();
  now = 900;
  await reaper.sweep();
  assert.ok(store.get(key), 'still inside the grace period');
  // Replaced meanwhile: the clock starts again for the new version.
  await store.commit([{ op: 'put', key, document: { kind: 'HTTPTrigger', metadata: { name: 'app', namespace: 'team-a', labels: { v: '2' } } } }]);
  now = 1500;
  await reaper.sweep();
  assert.ok(store.get(key), 'a changed trigger gets a new grace period');
  now = 2600;
  await reaper.sweep();
  assert.equal(store.get(key), undefined);
  assert.deepEqual(logs.map((l) => [l.message, l.fields?.['trigger']]), [
    ['trigger has no HostGroup past the grace period, but is defined by a file; remove it there', 'team-a/filed'],
    ['reaper removed a trigger whose HostGroup is gone', 'team-a/app'],
  ]);

  statuses = [];
  await reaper.sweep();
  await reaper.close();
  assert.equal(logs.length, 2, 'the file orphan is not reported again');
});
