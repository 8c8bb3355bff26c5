/**
 * The watched tokens file on a real file system: it opens only when usable, and every way
 * a file gets replaced takes effect without reopening.
 */
import assert from 'node:assert/strict';
import { mkdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { TokenFile } from '../src/admin/auth/token-file.js';
import { writeFileAtomic } from '../src/util/atomic-file.js';
import { assertRotated, openWatched, ROTATED, standardFile, TAKES_EFFECT_MS } from './helpers/admin-auth-token-file.js';
import { PLATFORM_TOKEN, SECRET_MARK, STANDARD_TOKENS, TEAM_A_TOKEN, TEAM_B_TOKEN, tokensYaml } from './helpers/admin-auth-tokens.js';
import { tmpDir } from './helpers/tmp-dir.js';

test('open reads the tokens and lookup answers from them', async (t) => {
  const { file } = await openWatched(t, await standardFile(t));
  assert.equal(file.size, 3);
  assert.deepEqual(file.lookup(TEAM_B_TOKEN), { name: 'team-b-ci', scope: { role: 'tenant', namespace: 'team-b' } });
  assert.equal(file.lookup('no-such-token-0123456789'), undefined);
});

test('open refuses a missing file, naming it', async (t) => {
  const path = join(await tmpDir(t), 'absent.yaml');
  await assert.rejects(TokenFile.open({ path }), (error: Error) => {
    assert.match(error.message, new RegExp(`^tokens file ${path} is not usable:\\n  ${path}: cannot be read: ENOENT`));
    return true;
  });
});

test('open refuses an invalid file, listing every problem as file: field: message, quoting no secret', async (t) => {
  const path = join(await tmpDir(t), 'tokens.yaml');
  await writeFile(path, tokensYaml([{ name: 'a', token: TEAM_A_TOKEN }, { name: 'a', token: PLATFORM_TOKEN, role: 'platform', namespace: 'x' }]));
  await assert.rejects(TokenFile.open({ path }), (error: Error) => {
    assert.deepEqual(error.message.split('\n'), [
      `tokens file ${path} is not usable:`,
      `  ${path}: tokens[0].namespace: required: a tenant token is bound to one namespace (or set role: platform)`,
      `  ${path}: tokens[1].namespace: must not be set for a platform token, which covers every namespace; drop it, or drop the role for a tenant token`,
      `  ${path}: tokens[1].name: duplicate of tokens[0].name: audit logs and metrics tell tokens apart by name`,
    ]);
    assert.ok(!error.message.includes(SECRET_MARK));
    return true;
  });
});

test('a save in place takes effect within 2 s without reopening', async (t) => {
  const path = await standardFile(t);
  const { file, reloads, errors } = await openWatched(t, path);
  await writeFile(path, tokensYaml(ROTATED));
  assert.deepEqual(await reloads.next(TAKES_EFFECT_MS), { tokens: 3 });
  assertRotated(file);
  assert.deepEqual(await errors.drainAfter(0), []);
});

test('an editor-style rename-replace is seen by the directory watcher alone (no poll)', async (t) => {
  const path = await standardFile(t);
  const { file, reloads } = await openWatched(t, path, { pollIntervalMs: 0 });
  assert.deepEqual(await reloads.drainAfter(200), [], 'the check right after open has run');
  await writeFileAtomic(path, tokensYaml(ROTATED));
  assert.deepEqual(await reloads.next(TAKES_EFFECT_MS), { tokens: 3 });
  assertRotated(file);
});

test('a Kubernetes Secret update (the ..data symlink swapped) is seen by the directory watcher alone', async (t) => {
  const mount = await tmpDir(t);
  const publish = async (version: string, text: string): Promise<void> => {
    await mkdir(join(mount, version));
    await writeFile(join(mount, version, 'tokens.yaml'), text);
    await symlink(version, join(mount, '..data_tmp'));
    await rename(join(mount, '..data_tmp'), join(mount, '..data'));
  };
  await publish('..2026_01_01_v1', tokensYaml(STANDARD_TOKENS));
  await symlink(join('..data', 'tokens.yaml'), join(mount, 'tokens.yaml'));
  const { file, reloads } = await openWatched(t, join(mount, 'tokens.yaml'), { pollIntervalMs: 0 });
  assert.equal(file.lookup(TEAM_A_TOKEN)?.name, 'team-a-ci');
  assert.deepEqual(await reloads.drainAfter(200), [], 'the check right after open has run');
  await publish('..2026_01_02_v2', tokensYaml(ROTATED));
  await rm(join(mount, '..2026_01_01_v1'), { recursive: true });
  assert.deepEqual(await reloads.next(TAKES_EFFECT_MS), { tokens: 3 });
  assertRotated(file);
});

test('a rewrite that keeps size, inode and mtime is still seen while the file is fresh', async (t) => {
  const path = await standardFile(t);
  // Whole seconds, as on a file system whose timestamps are too coarse to tell two writes apart.
  const second = new Date(Math.floor(Date.now() / 1000) * 1000);
  await utimes(path, second, second);
  const { file, reloads } = await openWatched(t, path, { pollIntervalMs: 100 });
  const before = await stat(path);
  await writeFile(path, tokensYaml(ROTATED));
  await utimes(path, second, second);
  const after = await stat(path);
  assert.deepEqual([after.mtimeMs, after.size, after.ino], [before.mtimeMs, before.size, before.ino], 'the version did not change');
  await reloads.next(TAKES_EFFECT_MS);
  assertRotated(file);
});
