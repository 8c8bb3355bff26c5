/**
 * Turns each admission update into log lines: a summary when the table changes, a line for
 * every host that moves to another namespace (an audit event), every trigger whose status
 * changed, and manifest errors as they appear and clear. The first load logs its summary
 * and refusals only, so a large fleet does not print one line per healthy trigger.
 */
import type { AdmissionResult, TriggerStatus } from '../admission/types.js';
import type { AdmissionUpdate } from '../control/admission-controller.js';
import { updateDiff } from '../control/table-diff.js';
import { formatManifestError } from '../model/issues.js';
import type { Logger } from '../util/logger.js';
import { statusWord } from './render-admission.js';

export function logAdmission(log: Logger, update: AdmissionUpdate, previousErrors: ReadonlySet<string>): Set<string> {
  const { result, previous, manifests } = update;
  const diff = updateDiff(update);
  if (!previous) {
    log.info('route table loaded', { version: result.table.version, triggers: result.statuses.length, hosts: result.table.hosts.length });
  } else if (previous.table.version !== result.table.version) {
    log.info('route table updated', {
      version: result.table.version,
      previousVersion: previous.table.version,
      triggers: result.statuses.length,
      hosts: result.table.hosts.length,
      added: nonEmpty(diff.addedHosts),
      removed: nonEmpty(diff.removedHosts),
      changed: nonEmpty(diff.changedHosts),
    });
    logOwnerChanges(log, previous, result, diff.changedHosts);
  }
  for (const change of diff.statusChanges) {
    const id = `${change.namespace}/${change.name}`;
    if (!change.after) log.info('trigger removed', { trigger: id });
    else if (previous || change.after.rejections.length > 0) logStatus(log, id, change.after);
  }
  const errors = new Set(manifests.errors.map(formatManifestError));
  for (const error of errors) if (!previousErrors.has(error)) log.warn('manifest error', { error });
  for (const error of previousErrors) if (!errors.has(error)) log.info('manifest error resolved', { error });
  return errors;
}

function logOwnerChanges(log: Logger, previous: AdmissionResult, next: AdmissionResult, changed: readonly string[]): void {
  const owners = (result: AdmissionResult): Map<string, string> => new Map(result.table.hosts.map((h) => [h.host, h.namespace]));
  const before = owners(previous);
  const after = owners(next);
  for (const host of changed) {
    const from = before.get(host);
    const to = after.get(host);
    if (from !== to) log.info('host owner changed', { host, from, to });
  }
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

function nonEmpty(hosts: readonly string[]): readonly string[] | undefined {
  return hosts.length > 0 ? hosts : undefined;
}
