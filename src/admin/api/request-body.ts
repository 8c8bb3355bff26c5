/**
 * A write's body → one JSON value. Only JSON and YAML are accepted (415 otherwise), the size
 * is bounded before and while reading (413), and the text must hold exactly one document.
 * Both types are read by the YAML 1.2 parser with unique keys, as manifest files are, so a
 * duplicated key is an error here too instead of JSON.parse's silent last-one-wins.
 */
import type { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { syntaxMessage } from '../../model/parse-file.js';
import { ApiFailure, badRequest } from './api-error.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const MEDIA_TYPES: Readonly<Record<string, 'json' | 'yaml'>> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
};

export async function readManifestBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  mediaType(req.headers['content-type']);
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return parseDocument(Buffer.concat(chunks));
}

function mediaType(header: string | undefined): 'json' | 'yaml' {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  const known = MEDIA_TYPES[type];
  if (!known) {
    throw new ApiFailure(
      415,
      'UnsupportedMediaType',
      `${header ? `content type ${JSON.stringify(type)} is not accepted` : 'a content type is required'}; send application/json or application/yaml`,
    );
  }
  return known;
}

function parseDocument(bytes: Buffer): unknown {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let source: string;
  try {
    source = text.decode(bytes);
  } catch {
    throw badRequest('the body is not valid UTF-8');
  }
  const documents = parseAllDocuments(source, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  const present = list.filter((document) => document.contents !== null || document.errors.length > 0);
  if (present.length !== 1) {
    throw badRequest(present.length === 0 ? 'the body is empty; send one manifest' : `the body holds ${present.length} documents; send one manifest per request`);
  }
  const document = present[0]!;
  const syntax = document.errors[0];
  if (syntax) throw badRequest(syntaxMessage(syntax.message, syntax.linePos?.[0]));
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(`the body cannot be read: ${(error as Error).message}`);
  }
}

function tooLarge(maxBytes: number): ApiFailure {
  return new ApiFailure(413, 'PayloadTooLarge', `the body is larger than ${maxBytes} bytes; a manifest is far smaller`);
}
