/**
 * Envoy's `normalize_path` (PathUtil::canonicalPath) on the path part of a request target:
 * the parameters of `.;x` and `..;x` segments dropped (stripParametersFromDotSegments), then
 * Chromium's path canonicalizer (googleurl, which Envoy links): "\" is "/", `.` and `..`
 * segments (also as `%2e`) are removed as RFC 3986 remove_dot_segments does, percent-encoded
 * unreserved characters are decoded, characters a URL may not hold are percent-encoded, and
 * a NUL (raw or `%00`) makes the path invalid. Other escapes keep their case: Envoy does no
 * case normalisation. Slashes are not merged here (merge_slashes is its own step).
 */
import { BACKSLASH, DOT, PERCENT, SLASH, hexValue, isHex } from './ascii.js';


/** googleurl's kPathCharLookup: characters that need more than a copy. */
const SPECIAL = 1;
/** Characters that are percent-encoded in the output. */
const ESCAPE = 2;
/** Characters that are decoded when they arrive percent-encoded. */
const UNESCAPE = 4;

const PATH_CHAR_FLAGS = new Uint8Array(256);
for (let code = 0; code <= 0x20; code++) PATH_CHAR_FLAGS[code] = SPECIAL | ESCAPE;
for (let code = 0x7f; code <= 0xff; code++) PATH_CHAR_FLAGS[code] = SPECIAL | ESCAPE;
for (const char of '"#<>?^`{|}') PATH_CHAR_FLAGS[char.charCodeAt(0)] = SPECIAL | ESCAPE;
for (const char of '.%\\') PATH_CHAR_FLAGS[char.charCodeAt(0)] = SPECIAL;
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~') PATH_CHAR_FLAGS[char.charCodeAt(0)] = UNESCAPE;

/** Whether canonicalizePath does more than copy `code` (a "." only matters after a "/"). */
export function isSpecialPathChar(code: number): boolean {
  return code >= 0x80 || (PATH_CHAR_FLAGS[code]! & SPECIAL) !== 0;
}

/** The canonical form of `path` (no query), or undefined when Envoy would reject it (400). */
export function canonicalizePath(path: string): string | undefined {
  const input = stripDotSegmentParameters(path);
  let out = isSlash(input.charCodeAt(0)) ? '' : '/';
  let run = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (!isSpecialPathChar(code)) continue;
    out += input.slice(run, i);
    const dot = dotLength(input, i);
    if (dot > 0) {
      const step = resolveDot(input, i, dot, out);
      out = step.out;
      i = step.last;
    } else if (code === BACKSLASH) {
      out += '/';
    } else if (code === PERCENT && isHex(input.charCodeAt(i + 1)) && isHex(input.charCodeAt(i + 2))) {
      const byte = hexValue(input.charCodeAt(i + 1)) * 16 + hexValue(input.charCodeAt(i + 2));
      if (byte === 0) return undefined;
      out += (PATH_CHAR_FLAGS[byte]! & UNESCAPE) !== 0 ? String.fromCharCode(byte) : input.slice(i, i + 3);
      i += 2;
    } else if (code === PERCENT) {
      out += '%';
    } else if (code === 0) {
      return undefined;
    } else {
      out += percentEncode(input, i);
      // A code point above U+FFFF took two UTF-16 units.
      if (input.codePointAt(i)! > 0xffff) i++;
    }
    run = i + 1;
  }
  return out + input.slice(run);
}

/**
 * A dot (of `dot` input characters) at `i`. After a "/" in the output it may start a `.` or
 * `..` segment, which is dropped (`..` also drops the segment before, never above the root).
 * Returns the new output and the index of the last input character consumed.
 */
function resolveDot(input: string, i: number, dot: number, out: string): { out: string; last: number } {
  const plainDot = { out: `${out}.`, last: i + dot - 1 };
  if (out.charCodeAt(out.length - 1) !== SLASH) return plainDot;
  const after = i + dot;
  if (after === input.length) return { out, last: after - 1 };
  if (isSlash(input.charCodeAt(after))) return { out, last: after };
  const second = dotLength(input, after);
  const end = after + second;
  if (second === 0 || (end < input.length && !isSlash(input.charCodeAt(end)))) return plainDot;
  const parent = out.length === 1 ? out : out.slice(0, out.lastIndexOf('/', out.length - 2) + 1);
  return { out: parent, last: end === input.length ? end - 1 : end };
}

/** 1 for ".", 3 for "%2e" or "%2E", else 0. */
function dotLength(input: string, i: number): number {
  const code = input.charCodeAt(i);
  if (code === DOT) return 1;
  if (code === PERCENT && input.charCodeAt(i + 1) === 0x32 && (input.charCodeAt(i + 2) | 0x20) === 0x65) return 3;
  return 0;
}

function isSlash(code: number): boolean {
  return code === SLASH || code === BACKSLASH;
}

/**
 * Node hands the request line over byte for byte (latin1), so a code unit up to 0xFF is one
 * byte; anything wider (only from a caller's own string) is encoded as UTF-8.
 */
function percentEncode(input: string, i: number): string {
  const code = input.charCodeAt(i);
  if (code <= 0xff) return escapeByte(code);
  let escaped = '';
  for (const byte of Buffer.from(String.fromCodePoint(input.codePointAt(i)!), 'utf8')) escaped += escapeByte(byte);
  return escaped;
}

function escapeByte(byte: number): string {
  return `%${byte < 0x10 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
}

/** `/a/..;x/b` is `/a/../b`: servers such as Tomcat drop the parameters, so Envoy does too. */
function stripDotSegmentParameters(path: string): string {
  if (!path.includes('.;')) return path;
  return path
    .split('/')
    .map((segment) => (segment.startsWith('..;') ? '..' : segment.startsWith('.;') ? '.' : segment))
    .join('/');
}
