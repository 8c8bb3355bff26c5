/** Turns each admission update into log lines: what changed, what was refused, what broke. */
import type { AdmissionUpdate } from '../control/admission-controller.js';
import { diffAdmission } from '../control/table-diff.js';
import { formatManifestError } from '../model/issues.js';
import type { Logger } from '../util/logger.js';
import { statusWord } from './render-admission.js';
import type { TriggerStatus } from '../admission/types.js';

export function logAdmission(log: Logger, update: AdmissionUpdate, previousErrors: ReadonlySet<string>): Set<string> {
  const { result, previous, manifests } = update;
  const diff = diffAdmission(previous, result);
  const versionChanged = previous?.table.version !== result.table.version;
  if (versionChanged) log.info(previous ? 'route table updated' : 'route table loaded', {
    version: result.table.version,
    ...(previous && { previousVersion: previous.table.version }),
    triggers: result.statuses.length,
    hosts: result.table.hosts.length,
    added: diff.addedHosts.length > 0 ? diff.addedHosts : undefined,
    removed: diff.removedHosts.length > 0 ? diff.removedHosts : undefined,
    changed: diff.changedHosts.length > 0 ? diff.changedHosts : undefined,
    owners: Object.fromEntries(result.table.hosts.map((host) => [host.host, host.namespace])),
  });
  for (const change of diff.statusChanges) {
    const id = `${change.namespace}/${change.name}`;
    if (!change.after) log.info('trigger removed', { trigger: id });
    else logStatus(log, id, change.after);
  }
  const errors = new Set(manifests.errors.map(formatManifestError));
  for (const error of errors) if (!previousErrors.has(error)) log.warn('manifest error', { error });
  for (const error of previousErrors) if (!errors.has(error)) log.info('manifest error resolved', { error });
  return errors;
}

function logStatus(log: Logger, id: string, status: TriggerStatus): void {
  const fields = { trigger: id, status: statusWord(status), hosts: status.hosts, routes: status.routes };
  if (status.rejections.length === 0) {
    log.info('trigger admitted', fields);
    return;
  }
  for (const rejection of status.rejections) {
    log.warn('trigger refused', { ...fields, reason: rejection.reason, field: rejection.field, message: rejection.message });
  }
}
