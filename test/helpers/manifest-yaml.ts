/** Manifest files' text, written as a user would write them (real YAML). */
import { stringify } from 'yaml';

export interface TriggerYamlOptions {
  readonly paths?: readonly string[];
  readonly created?: string;
}

export function triggerYaml(id: string, host: string, options: TriggerYamlOptions = {}): string {
  const [namespace, name] = id.split('/');
  return stringify({
    apiVersion: 'control.cosmonic.io/v1alpha1',
    kind: 'HTTPTrigger',
    metadata: { name, namespace, ...(options.created && { creationTimestamp: options.created }) },
    spec: {
      ingress: {
        host,
        ...(options.paths && { paths: options.paths.map((path) => ({ path, pathType: 'Prefix' })) }),
      },
    },
  });
}

export const DEFAULT_HOSTGROUP_YAML = stringify({
  apiVersion: 'k8s.cosmonic.io/v1alpha1',
  kind: 'HostGroup',
  metadata: { name: 'default', labels: { hostgroup: 'default' } },
  spec: { gateways: [{ address: '127.0.0.1', port: 9000 }] },
});

/** Several documents in one file. */
export function documents(...texts: string[]): string {
  return texts.join('---\n');
}
