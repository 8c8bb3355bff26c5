/**
 * The `--tokens` file's text → a TokenTable, or every problem with it located by field path
 * (`tokens[2].namespace`). YAML or JSON alike, read by the YAML 1.2 parser with duplicate
 * keys refused, as manifest files are. The file holds secrets, so no message quotes what
 * could be one: not a token or a digest, and not the bits of source the YAML parser likes
 * to quote in its syntax errors.
 */
import { LineCounter, parseDocument } from 'yaml';
import { Decoder } from '../../model/decoder.js';
import type { FieldIssue } from '../../model/issues.js';
import { decodeTokenEntries } from './token-entries.js';
import type { TokenTable } from './token-table.js';

export const MAX_TOKENS_FILE_BYTES = 1024 * 1024;

/** A problem in a tokens file, shown as `file: field: message`. */
export interface TokensFileProblem extends FieldIssue {
  readonly file: string;
}

export type ParsedTokensFile =
  | { readonly ok: true; readonly table: TokenTable }
  | { readonly ok: false; readonly errors: readonly TokensFileProblem[] };

export function parseTokensFile(text: string, file: string): ParsedTokensFile {
  const decoder = new Decoder();
  const value = readDocument(text, decoder);
  const table = decoder.ok ? decodeTokenEntries(value, decoder) : undefined;
  if (table && decoder.ok) return { ok: true, table };
  return { ok: false, errors: decoder.issues.map((issue) => ({ file, ...issue })) };
}

/** A tokens file that cannot be used, with each problem on its own line. */
export class TokensFileError extends Error {
  readonly code = 'ERR_TRIGGERWAY_TOKENS_FILE';
  constructor(
    readonly path: string,
    readonly problems: readonly TokensFileProblem[],
    /** Set when a reload failed: how many tokens of the last good version stay in effect. */
    readonly kept?: number,
  ) {
    const consequence = kept === undefined ? '' : `; the ${kept} token(s) loaded before stay in effect`;
    super(`tokens file ${path} is not usable${consequence}:\n${problems.map((problem) => `  ${formatTokensFileProblem(problem)}`).join('\n')}`);
    this.name = 'TokensFileError';
  }
}

export function formatTokensFileProblem(problem: TokensFileProblem): string {
  return problem.field ? `${problem.file}: ${problem.field}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

function readDocument(text: string, decoder: Decoder): unknown {
  if (Buffer.byteLength(text) > MAX_TOKENS_FILE_BYTES) {
    decoder.report('', `larger than ${MAX_TOKENS_FILE_BYTES / 1024 / 1024} MiB`);
    return undefined;
  }
  // prettyErrors off: a pretty error carries a code frame, and the line it shows may hold a token.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const syntax = document.errors[0];
  if (syntax) {
    const { line, col } = lineCounter.linePos(syntax.pos[0]);
    const message = syntax.code === 'MULTIPLE_DOCS' ? 'one document expected, found several' : prose(syntax.message);
    decoder.report('', `syntax error at line ${line}, column ${col}: ${message}`);
    return undefined;
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    decoder.report('', `cannot be read: ${prose((error as Error).message)}`);
    return undefined;
  }
}

/**
 * The yaml package's messages are fixed sentences with bits of the source spliced in (a
 * tag, an escape sequence, an unexpected token). Any word that is not plain prose is
 * blanked out, and so is any word as long as a token may be.
 */
function prose(message: string): string {
  const firstLine = message.split('\n')[0]!;
  return firstLine
    .split(' ')
    .map((word) => (word.length < 16 && /^[A-Za-z,.;:()[\]{}-]*$/.test(word) ? word : '…'))
    .join(' ');
}
