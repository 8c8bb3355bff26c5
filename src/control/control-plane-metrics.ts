/**
 * The control plane's metrics, read from its state at scrape time: data planes by
 * connection state, NACKs, xDS responses and bytes per type, the served snapshot, and
 * triggers by their Accepted and Programmed status. Every label value comes from a bounded
 * set (xDS types, condition statuses, one snapshot version), never from a client.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { TYPE_LABELS } from '../xds/xds-types.js';
import type { AdmissionController } from './admission-controller.js';
import type { XdsControlPlane } from './xds-control-plane.js';

export function registerControlPlaneMetrics(registry: Registry, xds: XdsControlPlane, controller: AdmissionController): void {
  const registers = [registry];
  new Gauge({
    name: 'triggerway_xds_data_planes',
    help: 'Data plane nodes known to the control plane, by whether a stream of theirs is open.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const connected = xds.registry.connectedNodes().length;
      this.set({ state: 'connected' }, connected);
      this.set({ state: 'disconnected' }, xds.registry.nodes.size - connected);
    },
  });
  let nacksSeen = 0;
  new Counter({
    name: 'triggerway_xds_nacks_total',
    help: 'Responses a data plane rejected (NACK).',
    registers,
    collect() {
      this.inc(xds.registry.nackCount - nacksSeen);
      nacksSeen = xds.registry.nackCount;
    },
  });
  const sent = (name: string, help: string, field: 'responses' | 'bytes') => {
    const seen = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames: ['type'] as const,
      registers,
      collect() {
        for (const [type, counters] of xds.registry.sent) {
          const label = TYPE_LABELS[type];
          this.inc({ type: label }, counters[field] - (seen.get(label) ?? 0));
          seen.set(label, counters[field]);
        }
      },
    });
  };
  sent('triggerway_xds_responses_total', 'xDS responses written, by type.', 'responses');
  sent('triggerway_xds_response_bytes_total', 'Bytes of xDS responses written, by type.', 'bytes');
  new Gauge({
    name: 'triggerway_snapshot_info',
    help: 'The snapshot being served (value 1), by version.',
    labelNames: ['version'] as const,
    registers,
    collect() {
      this.reset();
      const served = xds.snapshotInfo();
      if (served) this.set({ version: served.version }, 1);
    },
  });
  new Gauge({
    name: 'triggerway_triggers',
    help: 'Triggers by the status of their Accepted and Programmed conditions.',
    labelNames: ['accepted', 'programmed'] as const,
    registers,
    collect() {
      this.reset();
      for (const status of controller.current()?.result.statuses ?? []) {
        const accepted = status.conditions.find((condition) => condition.type === 'Accepted')?.status ?? 'False';
        const programmed = xds.programmed.condition(`${status.namespace}/${status.name}`).status;
        this.inc({ accepted, programmed });
      }
    },
  });
}
