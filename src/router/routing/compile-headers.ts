/**
 * One level's header mutations (route, virtual host or RouteConfiguration), checked the way
 * Envoy's HeaderParser checks them: pseudo-headers and Host may be neither added nor removed,
 * names must be tokens, values must not hold NUL, CR or LF, and a value is a substitution
 * format (header-template.ts).
 */
import { isTokenChar, parseHeaderValueTemplate } from '../config/header-template.js';
import type { HeaderAddition, HeaderAppendAction, HeaderMutation } from '../config/types.js';
import { bool, boolValue, enumName, message, messages, quote, rejectUnknownFields, string, strings, type ProtoObject } from './proto-object.js';

export interface HeaderLevel {
  readonly request: HeaderMutation;
  readonly response: HeaderMutation;
}

const APPEND_ACTIONS: Readonly<Record<string, HeaderAppendAction>> = {
  APPEND_IF_EXISTS_OR_ADD: 'append-if-exists-or-add',
  ADD_IF_ABSENT: 'add-if-absent',
  OVERWRITE_IF_EXISTS_OR_ADD: 'overwrite-if-exists-or-add',
  OVERWRITE_IF_EXISTS: 'overwrite-if-exists',
};
const DEFAULT_APPEND_ACTION = 'APPEND_IF_EXISTS_OR_ADD';

const HEADER_VALUE_OPTION_FIELDS = new Set(['header', 'append_action', 'keep_empty_value', 'append']);
const HEADER_VALUE_FIELDS = new Set(['key', 'value']);

/** The four header fields every level (RouteConfiguration, VirtualHost, Route) has. */
export const HEADER_FIELDS = ['request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove'] as const;

const NO_MUTATION: HeaderMutation = Object.freeze({ remove: Object.freeze([]), add: Object.freeze([]) });

export function compileHeaderLevel(level: ProtoObject, where: string): HeaderLevel {
  return {
    request: mutation(level, 'request_headers_to_add', 'request_headers_to_remove', where),
    response: mutation(level, 'response_headers_to_add', 'response_headers_to_remove', where),
  };
}

export function isEmptyMutation(mutation: HeaderMutation): boolean {
  return mutation.remove.length === 0 && mutation.add.length === 0;
}

function mutation(level: ProtoObject, addField: string, removeField: string, where: string): HeaderMutation {
  const remove = strings(level, removeField, where).map((name) => modifiableName(name, `${where}: ${removeField}`, 'removed'));
  const add = messages(level, addField, where).map((option) => addition(option, `${where}: ${addField}`));
  return remove.length === 0 && add.length === 0 ? NO_MUTATION : { remove, add };
}

function addition(option: ProtoObject, where: string): HeaderAddition {
  rejectUnknownFields(option, HEADER_VALUE_OPTION_FIELDS, where);
  const header = message(option, 'header', where);
  if (header === undefined) throw new Error(`${where}: an entry has no header`);
  rejectUnknownFields(header, HEADER_VALUE_FIELDS, where);
  const name = modifiableName(string(header, 'key', where) ?? '', where, 'modified');
  const at = `${where} ${quote(name)}`;
  const raw = string(header, 'value', at) ?? '';
  if (/[\0\r\n]/.test(raw)) throw new Error(`${at}: the value must not contain NUL, CR or LF`);
  let value;
  try {
    value = parseHeaderValueTemplate(raw);
  } catch (error) {
    throw new Error(`${at}: value ${quote(raw)}: ${(error as Error).message}`);
  }
  return { name, value, action: appendAction(option, at), keepEmptyValue: bool(option, 'keep_empty_value', at) };
}

/** `append_action`, or the deprecated `append` (true appends, false overwrites); never both. */
function appendAction(option: ProtoObject, where: string): HeaderAppendAction {
  const name = enumName(option, 'append_action', where, DEFAULT_APPEND_ACTION);
  const action = APPEND_ACTIONS[name];
  if (action === undefined) throw new Error(`${where}: append_action ${name} is not supported by the Node router`);
  const append = boolValue(option, 'append', where);
  if (append === undefined) return action;
  if (name !== DEFAULT_APPEND_ACTION) throw new Error(`${where}: append and append_action are both set, which Envoy refuses`);
  return append ? 'append-if-exists-or-add' : 'overwrite-if-exists-or-add';
}

/** Lower-cased; Envoy refuses to touch pseudo-headers and Host (HeaderUtility::isModifiableHeader). */
function modifiableName(raw: string, where: string, verb: 'modified' | 'removed'): string {
  const name = raw.toLowerCase();
  if (name.startsWith(':') || name === 'host') throw new Error(`${where}: ${quote(raw)}: ":"-prefixed or host headers may not be ${verb}`);
  if (name === '') throw new Error(`${where}: a header name is empty`);
  for (let i = 0; i < name.length; i++) {
    if (!isTokenChar(name.charCodeAt(i))) throw new Error(`${where}: ${quote(raw)} is not a valid header name`);
  }
  return name;
}
