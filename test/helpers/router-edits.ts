/** Resource edits for router tests: settings the control plane's defaults make too slow to test. */
import type { ResourceEdit } from './router-fixture.js';

function duration(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

/** Every forwarding route times out after `ms`. */
export function routeTimeout(ms: number): ResourceEdit {
  return (type, resource) => {
    if (type !== 'route') return;
    for (const virtualHost of resource['virtual_hosts'] ?? []) {
      for (const route of virtualHost.routes ?? []) if (route.route) route.route.timeout = duration(ms);
    }
  };
}

/** The listener's HttpConnectionManager, changed by `change`. */
export function connectionManager(change: (manager: Record<string, any>) => void): ResourceEdit {
  return (type, resource) => {
    if (type === 'listener') change(resource['filter_chains'][0].filters[0].typed_config);
  };
}

export function requestHeadersTimeout(ms: number): ResourceEdit {
  return connectionManager((manager) => {
    manager['request_headers_timeout'] = duration(ms);
  });
}

export function editAll(...edits: ResourceEdit[]): ResourceEdit {
  return (type, resource) => {
    for (const edit of edits) edit(type, resource);
  };
}
