/**
 * Envoy reads every header value in request/response_headers_to_add as a substitution format
 * string: text, `%%` for a literal "%", and `%COMMAND(arg):max%` commands. The router expands
 * the one command our control plane emits, `%REQ(name)%`; any other command would come out
 * differently from Envoy, so it is an error here and the configuration is NACKed.
 */
import { shorten } from '../routing/proto-object.js';
import type { HeaderValueTemplate } from './types.js';
import { COLON, OPEN_PAREN, PERCENT } from '../routing/ascii.js';

/** `:authority` is the request's authority (Host, or an absolute-form target's); other pseudo-headers are not kept. */
const AUTHORITY = ':authority';


/** Throws an Error that says what is wrong with `format` (the caller adds where it was). */
export function parseHeaderValueTemplate(format: string): HeaderValueTemplate {
  const parts: HeaderValueTemplate[] = [];
  let text = '';
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      text += format.slice(i);
      break;
    }
    text += format.slice(i, percent);
    if (format.charCodeAt(percent + 1) === PERCENT) {
      text += '%';
      i = percent + 2;
      continue;
    }
    const command = readCommand(format, percent);
    if (text !== '') parts.push({ kind: 'literal', value: text });
    text = '';
    parts.push({ kind: 'request-header', name: command.header });
    i = command.end;
  }
  if (text !== '') parts.push({ kind: 'literal', value: text });
  const [first] = parts;
  if (first === undefined) return { kind: 'literal', value: '' };
  return parts.length === 1 ? first : { kind: 'concat', parts };
}

/** The literal a template stands for, or undefined if it reads the request. */
export function literalValue(template: HeaderValueTemplate): string | undefined {
  return template.kind === 'literal' ? template.value : undefined;
}

/** Parses `%NAME(arg):max%` starting at the "%" at `start`. */
function readCommand(format: string, start: number): { header: string; end: number } {
  let i = start + 1;
  while (i < format.length && isCommandChar(format.charCodeAt(i))) i++;
  const name = format.slice(start + 1, i);
  let arg: string | undefined;
  if (name !== '' && format.charCodeAt(i) === OPEN_PAREN) {
    const close = format.indexOf(')', i + 1);
    if (close < 0) throw invalid(start);
    arg = format.slice(i + 1, close);
    i = close + 1;
  }
  let maxLength: string | undefined;
  if (name !== '' && format.charCodeAt(i) === COLON) {
    const digits = i + 1;
    i = digits;
    while (i < format.length && isDigit(format.charCodeAt(i))) i++;
    maxLength = format.slice(digits, i);
  }
  if (name === '' || format.charCodeAt(i) !== PERCENT) throw invalid(start);
  const command = shorten(format.slice(start, i + 1));
  if (name !== 'REQ') {
    throw new Error(`unsupported substitution command ${command}: the Node router expands only %REQ(header)% and %% (a literal "%")`);
  }
  if (arg === undefined || arg === '') throw new Error(`${command} needs a header name`);
  if (maxLength !== undefined) throw new Error(`${command}: a maximum length (":N") is not supported by the Node router`);
  if (arg.includes('?')) throw new Error(`${command}: an alternative header ("?") is not supported by the Node router`);
  return { header: requestHeaderName(arg, command), end: i + 1 };
}

function requestHeaderName(arg: string, command: string): string {
  const name = arg.toLowerCase();
  if (name === AUTHORITY) return AUTHORITY;
  if (name.startsWith(':')) throw new Error(`${command}: of the pseudo-headers the Node router reads only :authority`);
  for (let i = 0; i < name.length; i++) {
    if (!isTokenChar(name.charCodeAt(i))) throw new Error(`${command}: not a valid header name`);
  }
  return name;
}

function invalid(position: number): Error {
  return new Error(`invalid substitution command at position ${position} (write "%%" for a literal "%")`);
}

function isCommandChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || isDigit(code) || code === 0x5f;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** RFC 9110 token characters. */
export function isTokenChar(code: number): boolean {
  if ((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true;
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code));
}
