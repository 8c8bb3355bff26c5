/**
 * ASCII case folding, as Envoy does it (absl::AsciiStrToLower, StartsWithIgnoreCase): host
 * names and paths are compared byte-wise, and non-ASCII letters are never folded.
 */

/** Character codes the request parsers compare against. */
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const DOT = 0x2e;
export const HASH = 0x23;
export const OPEN_BRACKET = 0x5b;
export const OPEN_PAREN = 0x28;
export const PERCENT = 0x25;
export const QUESTION = 0x3f;
export const SLASH = 0x2f;

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const CASE_BIT = 0x20;

/** `value` with A-Z lower-cased; the very same string when there is nothing to fold. */
export function asciiLowerCase(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= UPPER_A && code <= UPPER_Z) return foldFrom(value, i);
  }
  return value;
}

function foldFrom(value: string, start: number): string {
  let folded = value.slice(0, start);
  for (let i = start; i < value.length; i++) {
    const code = value.charCodeAt(i);
    folded += code >= UPPER_A && code <= UPPER_Z ? String.fromCharCode(code | CASE_BIT) : value[i];
  }
  return folded;
}

/** Whether `value` starts with `lowerPrefix` (already lower-case), ignoring ASCII case in `value`. */
export function startsWithIgnoreAsciiCase(value: string, lowerPrefix: string): boolean {
  if (lowerPrefix.length > value.length) return false;
  for (let i = 0; i < lowerPrefix.length; i++) {
    let code = value.charCodeAt(i);
    if (code >= UPPER_A && code <= UPPER_Z) code |= CASE_BIT;
    if (code !== lowerPrefix.charCodeAt(i)) return false;
  }
  return true;
}

export function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** The value of a hex digit `isHex` accepted. */
export function hexValue(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}
