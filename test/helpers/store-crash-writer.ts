/**
 * The crash test's writer, run as a child process: opens the store in argv[2] and commits
 * pairs (a trigger and a HostGroup, in one commit) until it is killed, several commits at
 * a time so that they are group-committed. Creates new pairs, replaces pairs at their
 * current version, deletes the oldest; prints an intent before each commit and an ack
 * after it resolved. Exits by itself should the parent go away.
 */
import { ObjectStore, keyString, type StoreOp } from '../../src/store/object-store.js';
import { seededRandom } from './seeded-random.js';
import { CRASH_COMPACTION, hostOf, pairHostGroup, pairOf, pairTrigger, type WriterLine } from './store-crash-protocol.js';

const [dir = '', seed = '1', round = '0'] = process.argv.slice(2);
const random = seededRandom(Number(seed));
process.stdin.on('end', () => process.exit(2)).resume();
setTimeout(() => process.exit(3), 20_000).unref();

const say = (line: WriterLine): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

say({ type: 'opening' });
const store = await ObjectStore.open({ dir, compaction: CRASH_COMPACTION });
say({ type: 'ready', revision: store.revision });

/** Pairs believed live, oldest first. */
const live = store.list({ kind: 'HTTPTrigger' }).map((trigger) => pairOf(trigger));
let serial = 0;

/** The ops of one commit, touching a pair no other commit of its batch touches. */
function nextOps(busy: Set<string>): StoreOp[] {
  const choice = random();
  const idle = live.filter((id) => !busy.has(id));
  if (choice < 0.2 && idle.length > 0) {
    const id = idle[0] ?? '';
    live.splice(live.indexOf(id), 1);
    busy.add(id);
    return [{ op: 'delete', key: pairTrigger(id) }, { op: 'delete', key: pairHostGroup(id) }];
  }
  const replace = choice < 0.45 && idle.length > 0 ? idle[Math.floor(random() * idle.length)] : undefined;
  const id = replace ?? `${round}-${serial}`;
  if (replace === undefined) live.push(id);
  busy.add(id);
  const write = `${round}-${serial++}`;
  const padding = 'p'.repeat(Math.floor(random() * 300));
  return [pairTrigger(id), pairHostGroup(id)].map((key): StoreOp => {
    const spec = key.kind === 'HTTPTrigger' ? { ingress: { host: hostOf(id) }, write, padding } : { write };
    const document = { apiVersion: 'triggerway.dev/v1alpha1', kind: key.kind, metadata: { name: key.name, ...(key.namespace !== undefined && { namespace: key.namespace }) }, spec };
    const expectedVersion = replace === undefined ? undefined : store.get(key)?.resourceVersion;
    return { op: 'put', key, document, ...(expectedVersion !== undefined && { expectedVersion }) };
  });
}

let commits = 0;
async function run(ops: readonly StoreOp[]): Promise<void> {
  const commit = commits++;
  const keysOf = (op: StoreOp['op']): string[] => ops.filter((each) => each.op === op).map((each) => keyString(each.key));
  say({ type: 'intent', id: commit, puts: keysOf('put'), deletes: keysOf('delete') });
  const result = await store.commit(ops);
  say({
    type: 'ack',
    id: commit,
    revision: result.revision,
    puts: result.results.flatMap((each) => (each.object ? [[keyString(each.key), each.object.resourceVersion, each.object.creationTimestamp] as const] : [])),
    deletes: result.results.flatMap((each) => (each.deleted ? [keyString(each.key)] : [])),
  });
}

for (;;) {
  const busy = new Set<string>();
  const batch = Array.from({ length: 1 + Math.floor(random() * 4) }, () => nextOps(busy));
  await Promise.all(batch.map(run));
}
