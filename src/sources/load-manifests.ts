/**
 * One-shot loading for `triggerway check PATH...`: every path listed, every file read and
 * parsed, all merged. Problems with a path or a file become manifest errors (doc 0) so the
 * command reports them next to every other error instead of stopping at the first.
 */
import { readFile } from 'node:fs/promises';
import { parseManifestText } from '../model/parse-file.js';
import { listManifestFiles } from './manifest-files.js';
import type { ManifestSet } from './manifest-set.js';
import { mergeParsedFiles, type ParsedManifestFile } from './merge-manifests.js';

export async function loadManifests(paths: readonly string[]): Promise<ManifestSet> {
  const parsed: ParsedManifestFile[] = [];
  const files = new Set<string>(); // `check dir dir/a.yaml` reads a.yaml once
  for (const path of paths) {
    try {
      for (const file of await listManifestFiles(path)) files.add(file);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      parsed.push(wholeFileError(path, missing ? 'does not exist' : (error as Error).message));
    }
  }
  for (const file of files) parsed.push(await readManifestFile(file));
  return mergeParsedFiles(parsed);
}

/** Reads and parses one manifest file; a read failure is the file's one error. */
export async function readManifestFile(file: string): Promise<ParsedManifestFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return wholeFileError(file, `cannot be read: ${code ?? (error as Error).message}`);
  }
  return { file, ...parseManifestText(text, file) };
}

function wholeFileError(file: string, message: string): ParsedManifestFile {
  return { file, manifests: [], errors: [{ file, doc: 0, field: '', message }] };
}
