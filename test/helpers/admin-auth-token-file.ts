/** A watched tokens file in a temp dir, with its reloads and errors queued, for the TokenFile tests. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { TokenFile, type TokenFileOptions } from '../../src/admin/auth/token-file.js';
import { PLATFORM_TOKEN, STANDARD_TOKENS, TEAM_A_TOKEN, tokensYaml } from './admin-auth-tokens.js';
import { EventQueue } from './event-queue.js';
import { onTestEnd, tmpDir } from './tmp-dir.js';

/** A rotated team-a token: same length as the old one, as rotations usually are. */
export const ROTATED_A_TOKEN = TEAM_A_TOKEN.replace('fedcba', 'abcdef');
export const ROTATED = STANDARD_TOKENS.map((entry) => (entry.name === 'team-a-ci' ? { ...entry, token: ROTATED_A_TOKEN } : entry));
export const TAKES_EFFECT_MS = 2_000;

/** Opens `path` with queued callbacks; closed when the test ends. */
export async function openWatched(t: TestContext, path: string, options: Partial<TokenFileOptions> = {}) {
  const reloads = new EventQueue<{ tokens: number }>();
  const errors = new EventQueue<Error>();
  const file = await TokenFile.open({ path, onReload: reloads.push, onError: errors.push, ...options });
  onTestEnd(t, () => file.close());
  return { file, reloads, errors };
}

/** A fresh `tokens.yaml` holding STANDARD_TOKENS. */
export async function standardFile(t: TestContext): Promise<string> {
  const path = join(await tmpDir(t), 'tokens.yaml');
  await writeFile(path, tokensYaml(STANDARD_TOKENS));
  return path;
}

export function assertRotated(file: TokenFile): void {
  assert.equal(file.lookup(TEAM_A_TOKEN), undefined, 'the old team-a token no longer works');
  assert.equal(file.lookup(ROTATED_A_TOKEN)?.name, 'team-a-ci');
  assert.equal(file.lookup(PLATFORM_TOKEN)?.name, 'platform-ops');
}
