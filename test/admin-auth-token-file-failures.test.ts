/**
 * The watched tokens file when things go wrong: a bad edit or a deletion keeps the last
 * good tokens and is reported once; close() stops everything and lets the process exit.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { unlink, utimes, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/atomic-file.js';
import { assertRotated, openWatched, ROTATED, ROTATED_A_TOKEN, standardFile, TAKES_EFFECT_MS } from './helpers/admin-auth-token-file.js';
import { SECRET_MARK, STANDARD_TOKENS, TEAM_A_TOKEN, TEAM_B_TOKEN, tokensYaml } from './helpers/admin-auth-tokens.js';
import { onTestEnd } from './helpers/tmp-dir.js';

test('an invalid edit keeps the previous tokens and is reported once, however many checks see it', async (t) => {
  const path = await standardFile(t);
  const { file, reloads, errors } = await openWatched(t, path, { pollIntervalMs: 50 });
  await writeFile(path, `${tokensYaml(ROTATED)}  - {name: broken, token: ${TEAM_B_TOKEN}}\n`);
  const error = await errors.next(TAKES_EFFECT_MS);
  assert.match(error.message, new RegExp(`^tokens file ${path} is not usable; the 3 token\\(s\\) loaded before stay in effect:\\n  ${path}: `));
  assert.ok(!error.message.includes(SECRET_MARK));
  assert.deepEqual(await errors.drainAfter(600), [], 'the same failure is not reported on every check');
  assert.equal(file.lookup(TEAM_A_TOKEN)?.name, 'team-a-ci', 'the last good tokens stay in effect');
  assert.equal(file.lookup(ROTATED_A_TOKEN), undefined);
  assert.deepEqual(await reloads.drainAfter(0), []);

  await writeFile(path, tokensYaml(ROTATED));
  assert.deepEqual(await reloads.next(TAKES_EFFECT_MS), { tokens: 3 });
  assertRotated(file);
});

test('a deleted file keeps the previous tokens and is reported once; the file put back takes effect', async (t) => {
  const path = await standardFile(t);
  const { file, reloads, errors } = await openWatched(t, path, { pollIntervalMs: 50 });
  await unlink(path);
  const error = await errors.next(TAKES_EFFECT_MS);
  assert.match(error.message, /the 3 token\(s\) loaded before stay in effect:\n.*cannot be read: ENOENT/);
  assert.deepEqual(await errors.drainAfter(600), []);
  assert.equal(file.lookup(TEAM_A_TOKEN)?.name, 'team-a-ci');

  await writeFile(path, tokensYaml(ROTATED));
  assert.deepEqual(await reloads.next(TAKES_EFFECT_MS), { tokens: 3 });
  assertRotated(file);
});

test('a touch or a rewrite with the same content reloads nothing', async (t) => {
  const path = await standardFile(t);
  const { reloads, errors } = await openWatched(t, path, { pollIntervalMs: 50 });
  await writeFileAtomic(path, tokensYaml(STANDARD_TOKENS));
  const later = new Date(Date.now() + 5_000);
  await utimes(path, later, later);
  assert.deepEqual(await reloads.drainAfter(500), []);
  assert.deepEqual(await errors.drainAfter(0), []);
});

test('checks stop at close: a later edit has no effect', async (t) => {
  const path = await standardFile(t);
  const { file, reloads } = await openWatched(t, path, { pollIntervalMs: 50 });
  await file.close();
  await writeFile(path, tokensYaml(ROTATED));
  assert.deepEqual(await reloads.drainAfter(400), []);
  assert.equal(file.lookup(TEAM_A_TOKEN)?.name, 'team-a-ci');
});

test('close() leaves no handle open: a process that opened and closed a token file exits on its own', async (t) => {
  const path = await standardFile(t);
  const module = fileURLToPath(new URL('../src/admin/auth/token-file.js', import.meta.url));
  const script = `
    const { TokenFile } = await import(${JSON.stringify(module)});
    const file = await TokenFile.open({ path: ${JSON.stringify(path)} });
    await file.close();
    console.log('closed', file.size);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  onTestEnd(t, () => void child.kill('SIGKILL'));
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(timer);
  assert.deepEqual([code, signal, output.trim()], [0, null, 'closed 3'], 'the process exits by itself once the file is closed');
});
