/**
 * The Programmed condition (Gateway API): a trigger is Programmed once every connected data
 * plane node holds a snapshot that carries the trigger's current routes. Each trigger
 * remembers the first snapshot seq published after its status last changed; the registry
 * knows the newest seq all connected nodes hold in full, so the check is one comparison.
 */
import type { Condition, TriggerStatus } from '../admission/types.js';
import { heldSeq, type DataPlaneRegistry } from '../xds/data-plane-registry.js';
import { TYPE_LABELS } from '../xds/xds-types.js';
import { updateDiff } from './table-diff.js';
import type { AdmissionUpdate } from './admission-controller.js';

export class ProgrammedTracker {
  readonly #registry: DataPlaneRegistry;
  /** Trigger id → seq of the first snapshot carrying its current state. */
  readonly #since = new Map<string, number>();
  /** Changed triggers waiting for the next publication. */
  readonly #pending = new Set<string>();
  readonly #accepted = new Map<string, boolean>();
  /** Triggers changed after the first load whose Programmed condition is reported as it changes. */
  readonly #watched = new Map<string, string>();
  #loaded = false;

  constructor(registry: DataPlaneRegistry) {
    this.#registry = registry;
  }

  /** Records which triggers an admission update changed. */
  admitted(update: AdmissionUpdate): void {
    for (const change of updateDiff(update).statusChanges) {
      const id = `${change.namespace}/${change.name}`;
      this.#since.delete(id);
      this.#pending.delete(id);
      this.#accepted.delete(id);
      this.#watched.delete(id);
      if (!change.after) continue;
      this.#pending.add(id);
      this.#accepted.set(id, isAccepted(change.after));
      // Like the admission log: after the first load, every changed trigger's outcome is told.
      if (this.#loaded && isAccepted(change.after)) this.#watched.set(id, '');
    }
    this.#loaded = true;
  }

  /**
   * The triggers changed since the first load whose Programmed condition moved since the
   * last call; a trigger leaves the list once it is Programmed.
   */
  takeChanges(): { readonly trigger: string; readonly condition: Condition }[] {
    const changes: { trigger: string; condition: Condition }[] = [];
    for (const [trigger, last] of this.#watched) {
      const condition = this.condition(trigger);
      const key = `${condition.status}/${condition.reason}/${condition.message}`;
      if (key === last || condition.reason === 'Pending') continue;
      changes.push({ trigger, condition });
      if (condition.status === 'True') this.#watched.delete(trigger);
      else this.#watched.set(trigger, key);
    }
    return changes;
  }

  /** A snapshot with seq `seq` was published (or the last one stays current): pending triggers are in it. */
  published(seq: number): void {
    for (const id of this.#pending) this.#since.set(id, seq);
    this.#pending.clear();
  }

  condition(triggerId: string): Condition {
    if (this.#accepted.get(triggerId) === false) return programmed('False', 'Invalid', 'the trigger is not accepted, so nothing of it is programmed');
    const since = this.#since.get(triggerId);
    if (since === undefined) return programmed('False', 'Pending', 'waiting for the next snapshot');
    const nodes = this.#registry.connectedNodes();
    if (nodes.length === 0) return programmed('False', 'Pending', 'no data plane node is connected');
    for (const node of nodes) {
      for (const [type, nack] of node.nacks) {
        if ((node.synced.get(type) ?? 0) < since) {
          return programmed('False', 'Invalid', `node "${node.node.id}" rejected ${TYPE_LABELS[type]} version ${nack.version}: ${nack.message}`);
        }
      }
    }
    const held = this.#registry.programmedSeq() ?? 0;
    if (held >= since) return programmed('True', 'Programmed', `${nodes.length} data plane node(s) hold it`);
    const waiting = nodes.filter((node) => heldSeq(node) < since).map((node) => node.node.id);
    return programmed('False', 'Pending', `waiting for ${waiting.length} node(s) to ACK: ${waiting.slice(0, 5).join(', ')}`);
  }

  /** How many triggers are Programmed right now. */
  programmedCount(): number {
    const held = this.#registry.programmedSeq();
    if (held === undefined) return 0;
    let count = 0;
    for (const [id, since] of this.#since) if (since <= held && this.#accepted.get(id)) count += 1;
    return count;
  }
}

function isAccepted(status: TriggerStatus): boolean {
  return status.conditions.some((condition) => condition.type === 'Accepted' && condition.status === 'True');
}

function programmed(status: Condition['status'], reason: string, message: string): Condition {
  return { type: 'Programmed', status, reason, message };
}
