/**
 * The host a request is routed by, from its Host header (or absolute-form authority): the
 * port ignored, ASCII lower-cased, one trailing dot stripped, and checked the way nginx's
 * ngx_http_validate_host does, with RFC 3986's characters: reg-name (unreserved, sub-delims,
 * percent-encodings) or a bracketed IP literal, then an optional numeric port. It runs on
 * every request: one pass, and no allocation beyond the result when the host is already
 * lower-case with neither port nor trailing dot.
 */
import { COLON, DOT, OPEN_BRACKET, PERCENT, asciiLowerCase, isHex } from './ascii.js';

export type RequestAuthority = { readonly host: string } | { readonly error: string };

/** Errors are constants: short enough for a 400 body, and never echo the input. */
const EMPTY = invalid('the host is empty');
const BAD_CHARACTER = invalid('the host contains a character that is not allowed');
const EMPTY_LABEL = invalid('the host contains ".."');
const BAD_PERCENT = invalid('the host contains a malformed percent-encoding');
const UNTERMINATED_LITERAL = invalid('the IPv6 literal has no closing "]"');
const BAD_PORT = invalid('the port is not a number from 0 to 65535');

const MAX_PORT = 65_535;
const MAX_PORT_DIGITS = 5;

/** RFC 3986 unreserved and sub-delims, indexed by char code (ASCII only). */
const HOST_CHARS = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=") HOST_CHARS[char.charCodeAt(0)] = 1;

export function parseRequestAuthority(value: string, stripTrailingHostDot = true): RequestAuthority {
  if (value.length === 0) return EMPTY;
  const literal = value.charCodeAt(0) === OPEN_BRACKET;
  const hostEnd = literal ? literalEnd(value) : regNameEnd(value);
  if (typeof hostEnd !== 'number') return hostEnd;
  const portError = checkPort(value, hostEnd);
  if (portError !== undefined) return portError;
  let end = hostEnd;
  if (stripTrailingHostDot && !literal && value.charCodeAt(end - 1) === DOT) end--;
  if (end === 0) return EMPTY;
  return { host: asciiLowerCase(end === value.length ? value : value.slice(0, end)) };
}

/** Where the reg-name ends (at ":" or the end), or why it is invalid. */
function regNameEnd(value: string): number | RequestAuthority {
  let previousDot = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === COLON) return i;
    if (code === DOT) {
      if (previousDot) return EMPTY_LABEL;
      previousDot = true;
      continue;
    }
    previousDot = false;
    if (code === PERCENT) {
      if (!isHex(value.charCodeAt(i + 1)) || !isHex(value.charCodeAt(i + 2))) return BAD_PERCENT;
      i += 2;
    } else if (code >= 128 || HOST_CHARS[code] !== 1) {
      return BAD_CHARACTER;
    }
  }
  return value.length;
}

/** Where `[…]` ends (after the "]"); the brackets stay part of the host. */
function literalEnd(value: string): number | RequestAuthority {
  const close = value.indexOf(']');
  if (close < 0) return UNTERMINATED_LITERAL;
  if (close === 1) return EMPTY;
  for (let i = 1; i < close; i++) {
    const code = value.charCodeAt(i);
    if (code !== COLON && code !== PERCENT && (code >= 128 || HOST_CHARS[code] !== 1)) return BAD_CHARACTER;
  }
  return close + 1;
}

/** After the host: nothing, or ":" and up to five digits (an empty port is allowed by RFC 3986). */
function checkPort(value: string, hostEnd: number): RequestAuthority | undefined {
  if (hostEnd === value.length) return undefined;
  // Only a literal can end before a ":" (`[::1]x`).
  if (value.charCodeAt(hostEnd) !== COLON) return BAD_CHARACTER;
  if (value.length - hostEnd - 1 > MAX_PORT_DIGITS) return BAD_PORT;
  let port = 0;
  for (let i = hostEnd + 1; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return BAD_PORT;
    port = port * 10 + digit;
  }
  return port > MAX_PORT ? BAD_PORT : undefined;
}

function invalid(reason: string): RequestAuthority {
  return Object.freeze({ error: `invalid host: ${reason}` });
}
