/**
 * Which response a stream sends next, make-before-break (the xDS spec's "eventual
 * consistency considerations", rule R23): additions and changes go in CDS, EDS, LDS, RDS
 * order, so whatever a resource refers to is in place first; removals go after all of them,
 * referrers first (a listener before its routes, clusters before their endpoints), so
 * nothing is removed while something still points at it. A type may send its removals with
 * its additions only when nothing else has to go between.
 */
import { XDS_TYPES, type XdsType } from '../xds-types.js';

const REMOVAL_ORDER: readonly XdsType[] = ['listener', 'route', 'cluster', 'endpoint'];

export interface TypeNeeds {
  readonly upserts: boolean;
  readonly removals: boolean;
}

export interface PendingType {
  readonly type: XdsType;
  readonly needs: TypeNeeds;
  /** A response of this type awaits its ACK: nothing from here on may overtake it. */
  readonly inFlight: boolean;
}

export interface PushStep {
  readonly type: XdsType;
  /** Send the additions only; the removals wait for their turn. */
  readonly deferRemovals: boolean;
}

/** The next response, 'blocked' when it must wait for an ACK, or undefined when nothing is due. */
export function nextPush(pending: readonly PendingType[]): PushStep | 'blocked' | undefined {
  const byType = new Map(pending.map((entry) => [entry.type, entry]));
  const upserting = XDS_TYPES.filter((type) => byType.get(type)?.needs.upserts);
  const removing = REMOVAL_ORDER.filter((type) => byType.get(type)?.needs.removals);
  const first = upserting[0] ?? removing[0];
  if (first === undefined) return undefined;
  if (byType.get(first)!.inFlight) return 'blocked';
  if (upserting[0] !== first) return { type: first, deferRemovals: false };
  const laterUpserts = upserting.length > 1;
  const earlierRemovals = removing.some((type) => type !== first && REMOVAL_ORDER.indexOf(type) < REMOVAL_ORDER.indexOf(first));
  return { type: first, deferRemovals: byType.get(first)!.needs.removals && (laterUpserts || earlierRemovals) };
}
