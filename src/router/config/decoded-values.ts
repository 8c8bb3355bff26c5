/** Reading proto3 values in decoded object form, with Envoy's defaults for unset fields. */
import type { DecodedDuration, DecodedWrapper } from './decoded-cluster.js';

/** Envoy's NACK for what the router cannot honour: the resource, its name, the field, why. */
export type Refuse = (field: string, problem: string) => Error;

export function refusal(resourceType: string, name: string): Refuse {
  return (field, problem) => new Error(`${resourceType} "${name}": ${field} ${problem}`);
}

/** Unset: `fallbackMs`. A set Duration holding zero decodes as `{}`, which is 0. */
export function durationMs(value: DecodedDuration | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  return (value.seconds ?? 0) * 1000 + Math.round((value.nanos ?? 0) / 1e6);
}

/** A Duration Envoy requires to be greater than zero (`gt: {}`). */
export function positiveDurationMs(value: DecodedDuration | undefined, fallbackMs: number | undefined, field: string, refuse: Refuse): number {
  if (value === undefined && fallbackMs === undefined) throw refuse(field, 'is required');
  const ms = durationMs(value, fallbackMs ?? 0);
  if (ms <= 0) throw refuse(field, 'must be greater than zero');
  return ms;
}

/** Unset wrapper: `fallback`. A set wrapper holding zero decodes as `{}`, which is 0. */
export function wrapped(value: DecodedWrapper<number> | undefined, fallback: number): number {
  return value === undefined ? fallback : (value.value ?? 0);
}

/** A percentage field (Envoy validates `lte: 100`). */
export function percent(value: DecodedWrapper<number> | undefined, fallback: number, field: string, refuse: Refuse): number {
  const result = wrapped(value, fallback);
  if (result < 0 || result > 100) throw refuse(field, `is a percentage from 0 to 100, got ${result}`);
  return result;
}
