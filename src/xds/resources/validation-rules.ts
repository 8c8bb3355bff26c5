/**
 * Single-value checks behind the resource validators: each returns why Envoy would reject
 * (or never use) a value, or undefined when it is fine.
 */
import type { Duration } from './envoy-types.js';

/** google.protobuf.Duration's range: ±10,000 years. */
const MAX_DURATION_SECONDS = 315_576_000_000;

export function durationProblem(value: Duration, positive = false): string | undefined {
  const nanos = value.nanos ?? 0;
  if (!Number.isInteger(value.seconds) || !Number.isInteger(nanos)) return 'seconds and nanos must be integers';
  if (value.seconds < 0 || nanos < 0) return 'must not be negative';
  if (nanos >= 1e9) return `nanos must be below 1e9, got ${nanos}`;
  if (value.seconds > MAX_DURATION_SECONDS) return `must be at most ${MAX_DURATION_SECONDS} seconds`;
  if (positive && value.seconds === 0 && nanos === 0) return 'must be greater than zero';
  return undefined;
}

export function portProblem(port: number): string | undefined {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `must be an integer from 1 to 65535, got ${port}`;
}

/** RFC 9110 token, lower-case as Envoy stores it. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** Envoy refuses configuration that adds or removes pseudo-headers or `host`. */
export function mutableHeaderProblem(name: string): string | undefined {
  if (name.startsWith(':') || name === 'host') return `"${name}" may not be modified`;
  return HEADER_NAME.test(name) ? undefined : `"${name}" is not a lower-case header name`;
}

// A substitution command, e.g. %REQ(:AUTHORITY)% or %START_TIME(%s)%; "%%" is a literal "%".
const COMMAND = /%[A-Z_][A-Z0-9_]*(\([^()]*\)(:\d+)?)?%/g;

/** Envoy parses header values as substitution formats: a stray "%" is a config error. */
export function headerValueProblem(value: string): string | undefined {
  if (/[\0\r\n]/.test(value)) return 'must not contain NUL, CR or LF';
  if (value.replaceAll('%%', '').replace(COMMAND, '').includes('%')) {
    return `"${value}" has a "%" that is neither "%%" nor a command such as %REQ(:AUTHORITY)%`;
  }
  return undefined;
}

/**
 * Envoy domains: an exact host, or one wildcard at the start (`*.example.com`) or end
 * (`example.*`). A bare `*` is valid for Envoy but is a catch-all, which default-deny forbids.
 */
export function domainProblem(domain: string): string | undefined {
  if (domain === '') return 'must not be empty';
  if (domain === '*') return '"*" is a catch-all, which no tenant may own (default-deny)';
  if (/[\s\0]/.test(domain)) return `"${domain}" must not contain whitespace or NUL`;
  const wildcards = domain.split('*').length - 1;
  if (wildcards > 1) return `"${domain}" has more than one "*"`;
  if (wildcards === 1 && !domain.startsWith('*') && !domain.endsWith('*')) return `"${domain}" has a "*" that is neither first nor last`;
  return undefined;
}

/** Problems collected under a path, `virtual_hosts[2].domains[0]: …`. */
export class Problems {
  readonly list: string[] = [];

  add(path: string, problem: string | undefined): void {
    if (problem !== undefined) this.list.push(`${path}: ${problem}`);
  }

  duration(path: string, value: Duration | undefined, positive = false): void {
    if (value !== undefined) this.add(path, durationProblem(value, positive));
  }

  nonEmpty(path: string, value: string | undefined): void {
    if (!value) this.add(path, 'must not be empty');
  }
}
