/**
 * One read of the tokens file: its table, or a TokensFileError listing every problem, and
 * the version read, so a watcher can tell when the file needs reading again.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { TokenTable } from './token-table.js';
import { parseTokensFile, TokensFileError } from './parse-tokens-file.js';

/**
 * Timestamps can be this coarse (FAT: 2 s, HFS+: 1 s): a file read this soon after its
 * mtime could be rewritten, say with a rotated token of the same length, without changing
 * its version, so it is read again on each check until its version is this old.
 */
const TIMESTAMP_GRANULARITY_MS = 2000;

/** `mtimeMs:size:ino` of the last read, good or bad, and whether it was old enough to trust. */
export interface Seen {
  readonly version: string;
  readonly settled: boolean;
}

export interface Loaded {
  readonly table: TokenTable;
  /** SHA-256 of the text, to tell a real change from a re-read (the text itself holds secrets). */
  readonly textDigest: string;
}

/** The version of a file that could not be read: once it is back, it is read whatever its version. */
const UNSEEN: Seen = { version: '', settled: false };

export type Read =
  | { readonly kind: 'loaded'; readonly seen: Seen; readonly loaded: Loaded }
  | { readonly kind: 'failed'; readonly seen: Seen; readonly error: TokensFileError };

export function versionOf(stats: Stats): string {
  return `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
}

/** Reads and parses `path`; `kept`, for a reload, says in the error how many tokens stay in effect. */
export async function readTokens(path: string, kept?: number): Promise<Read> {
  let text: string;
  let seen: Seen;
  try {
    const stats = await stat(path);
    text = await readFile(path, 'utf8');
    seen = { version: versionOf(stats), settled: Date.now() - stats.mtimeMs > TIMESTAMP_GRANULARITY_MS };
  } catch (error) {
    const problem = { file: path, field: '', message: `cannot be read: ${(error as Error).message}` };
    return { kind: 'failed', seen: UNSEEN, error: new TokensFileError(path, [problem], kept) };
  }
  const parsed = parseTokensFile(text, path);
  if (!parsed.ok) return { kind: 'failed', seen, error: new TokensFileError(path, parsed.errors, kept) };
  return { kind: 'loaded', seen, loaded: { table: parsed.table, textDigest: createHash('sha256').update(text).digest('hex') } };
}
