import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ObjectStore } from '../src/store/object-store.js';
import { seededRandom } from './helpers/seeded-random.js';
import { checkRecovered, type Recovered } from './helpers/store-crash-check.js';
import { CRASH_COMPACTION, type WriterLine } from './helpers/store-crash-protocol.js';
import { onTestEnd, tmpDir } from './helpers/tmp-dir.js';

const WRITER = fileURLToPath(new URL('./helpers/store-crash-writer.js', import.meta.url));
const ROUNDS = 25;

/**
 * When to kill the writer: while it opens the store (replaying, repairing), after it
 * opened, after some acks, or just after a compaction has created its temp file.
 */
type Kill =
  | { readonly afterOpeningMs: number }
  | { readonly afterReadyMs: number }
  | { readonly afterAcks: number }
  | { readonly afterCompactionStartsMs: number };

function pickKill(random: () => number): Kill {
  const mode = random();
  if (mode < 0.15) return { afterOpeningMs: Math.floor(random() * 5) };
  if (mode < 0.35) return { afterCompactionStartsMs: Math.floor(random() * 4) };
  if (mode < 0.6) return { afterReadyMs: 5 + Math.floor(random() * 56) };
  return { afterAcks: 1 + Math.floor(random() * 40) };
}

/** Runs the writer until `kill` says, SIGKILLs it, and resolves with the complete lines it printed. */
function runAndKill(child: ChildProcessWithoutNullStreams, dir: string, kill: Kill): Promise<WriterLine[]> {
  const lines: WriterLine[] = [];
  let stderr = '';
  let acks = 0;
  const killNow = (): boolean => child.kill('SIGKILL');
  const timers: NodeJS.Timeout[] = [];
  const killIn = (ms: number): number => timers.push(setTimeout(killNow, ms));
  const compaction =
    'afterCompactionStartsMs' in kill ? watch(dir, (_event, name) => name?.endsWith('.tmp') && killIn(kill.afterCompactionStartsMs)) : undefined;
  // A writer that happens not to compact soon, or that hangs, stops all the same.
  killIn(compaction ? 1000 : 5000);
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const complete = (partial + chunk).split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      const line = JSON.parse(text) as WriterLine;
      lines.push(line);
      if (line.type === 'opening' && 'afterOpeningMs' in kill) killIn(kill.afterOpeningMs);
      if (line.type === 'ready' && 'afterReadyMs' in kill) killIn(kill.afterReadyMs);
      if (line.type === 'ack' && 'afterAcks' in kill && ++acks === kill.afterAcks) killNow();
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      compaction?.close();
      for (const timer of timers) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`the writer exited by itself (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
}

describe('ObjectStore under SIGKILL', () => {
  it('keeps every acknowledged commit, no half commit, and the creation order, over 25 kills', { timeout: 60_000 }, async (t) => {
    const dir = await tmpDir(t);
    const random = seededRandom(0x5eed);
    let child: ChildProcessWithoutNullStreams | undefined;
    onTestEnd(t, () => child?.kill('SIGKILL'));
    let recovered: Recovered = { revision: 0, objects: [] };
    let acknowledged = 0;
    let compacted = false;
    for (let round = 0; round < ROUNDS; round++) {
      const kill = pickKill(random);
      child = spawn(process.execPath, [WRITER, dir, String(Math.floor(random() * 2 ** 32)), String(round)], { stdio: 'pipe' });
      const lines = await runAndKill(child, dir, kill);
      acknowledged += lines.filter((line) => line.type === 'ack').length;
      const store = await ObjectStore.open({ dir, compaction: CRASH_COMPACTION, onWarning: () => {} });
      try {
        recovered = checkRecovered(store, recovered, lines);
      } catch (error) {
        throw new Error(`round ${round} (kill ${JSON.stringify(kill)}): ${(error as Error).message}`, { cause: error });
      } finally {
        await store.close();
      }
      compacted ||= (await readFile(join(dir, 'objects.log'), 'utf8')).includes('"snapshot":true');
    }
    assert.ok(acknowledged >= 100, `only ${acknowledged} commits were acknowledged`);
    assert.ok(recovered.objects.length > 0);
    assert.ok(compacted, 'the writer never compacted the log');
  });
});
