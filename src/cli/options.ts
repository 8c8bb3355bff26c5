/**
 * Strict flag parsing for every command: unknown flags, missing values and stray
 * positionals are usage errors, never silently ignored.
 */
import { isIP } from 'node:net';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

export function parseOptions(command: string, argv: readonly string[], options: OptionSpec, allowPositionals: boolean): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new UsageError(cleanMessage((error as Error).message), command);
  }
}

/** Node's messages are good but verbose; keep the first sentence. */
function cleanMessage(message: string): string {
  return message.split('. To specify')[0]!.split('\n')[0]!.replace(/^Unknown option/, 'unknown option');
}

export function stringOption(parsed: Parsed, name: string, fallback: string): string {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : fallback;
}

/** A whole number flag within bounds, with a message naming the flag. */
export function integerOption(command: string, parsed: Parsed, name: string, fallback: number, min: number, max: number): number {
  const raw = parsed.values[name];
  if (typeof raw !== 'string') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`, command);
  }
  return value;
}

export function choiceOption<T extends string>(command: string, parsed: Parsed, name: string, choices: readonly T[], fallback: T): T {
  const raw = parsed.values[name];
  if (raw === undefined) return fallback;
  const choice = choices.find((c) => c === raw);
  if (!choice) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`, command);
  return choice;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
  /** `host:port`, with an IPv6 host in brackets. */
  readonly text: string;
}

/** `IP:port` or `[IPv6]:port`, port 0–65535; the host must be an IP literal (Envoy's socket_address needs one). */
export function hostPortOption(command: string, parsed: Parsed, name: string, fallback: string): HostPort {
  const raw = stringOption(parsed, name, fallback);
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
  const host = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  if (!match || isIP(host) === 0 || port > 65535) {
    throw new UsageError(`--${name} must be IP:PORT (e.g. 127.0.0.1:18000 or [::1]:18000), got ${JSON.stringify(raw)}`, command);
  }
  return { host, port, text: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}
