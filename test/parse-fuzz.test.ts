/**
 * Whatever bytes a manifest file holds, parsing returns manifests and located errors; it
 * never throws. The corpus is the bundled examples, mutated at random.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { parseManifestText } from '../src/model/parse-file.js';
import { listManifestFiles } from '../src/sources/manifest-files.js';
import { EXAMPLES } from './helpers/cli.js';

const ALPHABET = ' \t\n-:{}[],"\'*&!|>#%@`?/\\.0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\u0000\u00e9\ud83d\ude00';

function mutate(text: string, next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (result.length + 1));
    const kind = next();
    if (kind < 0.4) result = result.slice(0, at) + ALPHABET[Math.floor(next() * ALPHABET.length)] + result.slice(at);
    else if (kind < 0.7) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 8));
    else result = result.slice(0, at) + result.slice(Math.floor(next() * result.length)); // splice in a later part
  }
  return result;
}

test('2,000 mutated example files parse without throwing, and every error is located', async () => {
  const corpus = await Promise.all((await listManifestFiles(EXAMPLES)).map((file) => readFile(file, 'utf8')));
  let seed = 42;
  const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  let errors = 0;
  for (let round = 0; round < 2000; round++) {
    const text = mutate(corpus[round % corpus.length]!, next);
    const parsed = parseManifestText(text, 'fuzz.yaml');
    for (const error of parsed.errors) {
      assert.equal(error.file, 'fuzz.yaml');
      assert.ok(Number.isInteger(error.doc) && error.doc >= 0);
      assert.ok(error.message.length > 0);
    }
    errors += parsed.errors.length;
  }
  assert.ok(errors > 500, 'the mutations must actually break files');
});
