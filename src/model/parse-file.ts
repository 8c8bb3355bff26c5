/**
 * A manifest file's text → manifests and located errors. YAML and JSON alike (JSON is read
 * by the same YAML 1.2 parser, which, unlike JSON.parse, refuses duplicate keys), several
 * documents per file separated by `---`. Empty documents are skipped but still counted, so
 * `file#3` is always the third document as the file shows it.
 */
import { parseAllDocuments } from 'yaml';
import { decodeManifest } from './decode.js';
import type { ManifestError } from './issues.js';
import type { Manifest } from './resources.js';

export const MAX_MANIFEST_FILE_BYTES = 4 * 1024 * 1024;

export interface ParsedFile {
  readonly manifests: readonly Manifest[];
  readonly errors: readonly ManifestError[];
}

export function parseManifestText(text: string, file: string): ParsedFile {
  if (Buffer.byteLength(text) > MAX_MANIFEST_FILE_BYTES) {
    return fileError(file, `larger than ${MAX_MANIFEST_FILE_BYTES / 1024 / 1024} MiB; split it into several files`);
  }
  const manifests: Manifest[] = [];
  const errors: ManifestError[] = [];
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents)) return { manifests, errors };
  documents.forEach((document, index) => {
    const doc = index + 1;
    const syntax = document.errors[0];
    if (syntax) {
      errors.push({ file, doc, field: '', message: syntaxMessage(syntax.message, syntax.linePos?.[0]) });
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ file, doc, field: '', message: `cannot be read: ${(error as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return;
    const decoded = decodeManifest(value);
    if (decoded.ok) manifests.push({ ...decoded.manifest, source: { file, doc } });
    else for (const issue of decoded.issues) errors.push({ file, doc, ...issue });
  });
  return { manifests, errors };
}

export function syntaxMessage(message: string, position: { line: number; col: number } | undefined): string {
  const text = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return position ? `syntax error at line ${position.line}, column ${position.col}: ${text}` : `syntax error: ${text}`;
}

function fileError(file: string, message: string): ParsedFile {
  return { manifests: [], errors: [{ file, doc: 0, field: '', message }] };
}
