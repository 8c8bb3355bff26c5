/**
 * The admin side of `serve`, assembled: the API store (already opened by the caller, since
 * admission reads it), tokens, the audit log, the API itself, the status view and page, and
 * the orphan reaper. What it returns plugs into the admin listener.
 */
import { AdminApi } from '../admin/api/admin-api.js';
import { AdminMetrics } from '../admin/api/admin-metrics.js';
import { dataPlaneView } from '../admin/api/data-plane-view.js';
import { statusView } from '../admin/api/status-view.js';
import { AuditLog } from '../admin/auth/audit-log.js';
import { TokenFile } from '../admin/auth/token-file.js';
import { statusPageCsp, statusPageHtml } from '../admin/status-page/status-page.js';
import type { ObjectKey } from '../store/object-key.js';
import type { AdminExtension } from '../router/router-process.js';
import type { ObjectStore } from '../store/object-store.js';
import type { Logger } from '../util/logger.js';
import type { AdmissionController } from './admission-controller.js';
import { registerControlPlaneMetrics } from './control-plane-metrics.js';
import { OrphanReaper } from './orphan-reaper.js';
import type { XdsControlPlane } from './xds-control-plane.js';

export interface AdminPlaneOptions {
  readonly store: ObjectStore;
  readonly controller: AdmissionController;
  readonly xds: XdsControlPlane;
  readonly fileDefining: (key: ObjectKey) => string | undefined;
  /** The tokens file; without one every API request is refused with 401. */
  readonly tokensPath: string | undefined;
  readonly auditLogPath: string;
  readonly reapAfterMs: number;
  readonly log: Logger;
}

export interface AdminPlane {
  readonly extension: AdminExtension;
  close(): Promise<void>;
}

export async function startAdminPlane(options: AdminPlaneOptions): Promise<AdminPlane> {
  const { store, controller, xds, log } = options;
  const tokens = options.tokensPath
    ? await TokenFile.open({
        path: options.tokensPath,
        onReload: ({ tokens: count }) => log.info('tokens file reloaded', { path: options.tokensPath, tokens: count }),
        onError: (error) => log.error('tokens file not reloaded; the previous tokens stay in effect', { error: error.message }),
      })
    : undefined;
  const audit = await AuditLog.open(options.auditLogPath, { onError: (error) => log.error('audit log failed; further audit lines are dropped', { error: error.message }) });
  const metrics = new AdminMetrics();
  registerControlPlaneMetrics(metrics.registry, xds, controller);
  const programmed = (id: string) => xds.programmed.condition(id);
  const api = new AdminApi({
    store,
    tokens,
    audit,
    metrics,
    log,
    admission: controller,
    fileDefining: options.fileDefining,
    programmed,
    status: (scope) =>
      statusView(scope, {
        update: controller.current(),
        programmed,
        dataPlanes: () => dataPlaneView(xds.registry.nodes.values(), (seq) => xds.versionOf(seq)),
        snapshot: xds.snapshotInfo(),
      }),
  });
  const reaper = new OrphanReaper({ store, statuses: () => controller.current()?.result.statuses, graceMs: options.reapAfterMs, log });
  reaper.start(Math.min(30_000, Math.max(1000, options.reapAfterMs / 4)));
  if (!tokens) log.warn('no --tokens file: the admin API refuses every request (401)');
  return {
    extension: {
      api: (req, res) => api.handle(req, res),
      page: { html: statusPageHtml(), csp: statusPageCsp() },
      metrics: () => metrics.registry.metrics(),
    },
    async close() {
      await reaper.close();
      await tokens?.close();
      await audit.close();
    },
  };
}
