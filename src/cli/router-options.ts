/** The Node router's flags, shared by `serve` (in-process router) and `router` (standalone). */
import { availableParallelism } from 'node:os';
import { hostPortOption, stringOption, type HostPort, type OptionSpec, type Parsed } from './options.js';
import { UsageError } from './usage-error.js';

export const ROUTER_OPTION_SPEC: OptionSpec = {
  'router-listen': { type: 'string' },
  'admin-listen': { type: 'string' },
  workers: { type: 'string' },
  'access-log': { type: 'string' },
  'max-request-body': { type: 'string' },
};

export const ROUTER_OPTIONS_HELP = `  --router-listen ADDR  host:port of the Node router (default: 127.0.0.1:8080)
  --admin-listen ADDR   host:port of the admin listener: /metrics, /healthz,
                        /readyz (default: 127.0.0.1:8081)
  --workers N           router processes sharing the listener, each with its
                        own config subscription and pools; "auto" = one per
                        available core (default: 1)
  --access-log FILE     JSON-lines access log; "-" for stdout (default: none)
  --max-request-body SIZE
                        largest request body, e.g. 10MiB; larger gets 413
                        (default: unlimited, bodies are streamed)`;

export interface RouterOptions {
  readonly listen: HostPort;
  readonly admin: HostPort;
  readonly workers: number;
  readonly accessLog: string | undefined;
  readonly maxRequestBodyBytes: number;
}

export function routerOptions(command: string, parsed: Parsed): RouterOptions {
  const listen = hostPortOption(command, parsed, 'router-listen', '127.0.0.1:8080');
  const admin = hostPortOption(command, parsed, 'admin-listen', '127.0.0.1:8081');
  if (listen.port !== 0 && listen.port === admin.port && listen.host === admin.host) {
    throw new UsageError('--admin-listen must differ from --router-listen: the admin paths must never be on the edge', command);
  }
  const accessLog = parsed.values['access-log'];
  return {
    listen,
    admin,
    workers: workersOption(command, stringOption(parsed, 'workers', '1')),
    accessLog: typeof accessLog === 'string' ? accessLog : undefined,
    maxRequestBodyBytes: sizeOption(command, 'max-request-body', parsed.values['max-request-body']),
  };
}

const MAX_WORKERS = 64;

function workersOption(command: string, raw: string): number {
  if (raw === 'auto') return availableParallelism();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_WORKERS) {
    throw new UsageError(`--workers must be "auto" or a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(raw)}`, command);
  }
  return value;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, KB: 1000, MB: 1000 ** 2, GB: 1000 ** 3 };

/** Bytes from `1048576`, `512KiB`, `10MiB`, `1GB`; absent means 0 (no limit). */
export function sizeOption(command: string, name: string, raw: string | boolean | undefined): number {
  if (typeof raw !== 'string') return 0;
  const match = /^(\d+)\s*([KMG]i?B|B)?$/.exec(raw);
  const unit = UNITS[match?.[2] ?? ''];
  const value = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${name} must be a size such as 1048576, 512KiB, 10MiB or 1GiB, got ${JSON.stringify(raw)}`, command);
  }
  return value;
}
