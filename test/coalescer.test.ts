import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Coalescer } from '../src/util/coalescer.js';

/** A promise with its resolver, to hold an action open until the test lets it finish. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Coalescer', () => {
  it('runs a burst of triggers once, after the burst', async () => {
    let runs = 0;
    const coalescer = new Coalescer(() => void runs++, { quietMs: 30, maxWaitMs: 10_000 });
    for (let i = 0; i < 10; i++) coalescer.trigger();
    assert.equal(runs, 0, 'nothing runs before the quiet period');
    await sleep(150);
    assert.equal(runs, 1);
  });

  it('runs at least every maxWaitMs under a steady trickle of triggers', async () => {
    let runs = 0;
    const coalescer = new Coalescer(() => void runs++, { quietMs: 100, maxWaitMs: 40 });
    // Triggers every 5 ms for 300 ms: never 100 ms of quiet, so only maxWaitMs can run it.
    const ticker = setInterval(() => coalescer.trigger(), 5);
    await sleep(300);
    clearInterval(ticker);
    coalescer.cancel();
    assert.ok(runs >= 2, `expected several runs during the trickle, got ${runs}`);
  });

  it('never overlaps runs: a trigger during a run schedules exactly one more run after it', async () => {
    const gates = [deferred(), deferred()];
    const events: string[] = [];
    let active = 0;
    const coalescer = new Coalescer(
      async () => {
        const run = events.filter((e) => e.startsWith('start')).length;
        assert.equal(active++, 0, 'action started while another run was active');
        events.push(`start ${run}`);
        await gates[run]?.promise;
        events.push(`end ${run}`);
        active--;
      },
      { quietMs: 5, maxWaitMs: 50 },
    );
    coalescer.trigger();
    while (events.length === 0) await sleep(5);
    for (let i = 0; i < 5; i++) coalescer.trigger();
    await sleep(50); // the second burst comes due while run 0 is still held open
    assert.deepEqual(events, ['start 0']);
    gates[0]!.resolve();
    gates[1]!.resolve();
    await coalescer.flush();
    assert.deepEqual(events, ['start 0', 'end 0', 'start 1', 'end 1']);
  });

  it('flush runs a pending burst at once and resolves after it; with nothing pending it runs nothing', async () => {
    let runs = 0;
    const coalescer = new Coalescer(
      async () => {
        await sleep(10);
        runs++;
      },
      { quietMs: 10_000, maxWaitMs: 10_000 },
    );
    await coalescer.flush();
    assert.equal(runs, 0);
    coalescer.trigger();
    await coalescer.flush();
    assert.equal(runs, 1);
  });

  it('cancel drops the pending burst, and later triggers still run', async () => {
    let runs = 0;
    const coalescer = new Coalescer(() => void runs++, { quietMs: 20, maxWaitMs: 20 });
    coalescer.trigger();
    coalescer.cancel();
    await sleep(100);
    assert.equal(runs, 0);
    coalescer.trigger();
    await coalescer.flush();
    assert.equal(runs, 1);
  });

  it('reports a failing action to onError and keeps serving triggers', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const coalescer = new Coalescer(
      () => {
        if (++runs === 1) throw new Error('rescan failed');
      },
      { quietMs: 5, maxWaitMs: 5, onError: (error) => errors.push(error) },
    );
    coalescer.trigger();
    await coalescer.flush();
    coalescer.trigger();
    await coalescer.flush();
    assert.equal(runs, 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['rescan failed'],
    );
  });
});
