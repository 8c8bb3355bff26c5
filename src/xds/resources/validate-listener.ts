/** Envoy's rules for the edge Listener and its HTTP connection manager. */
import type { Listener, TypedConfig } from './envoy-types.js';
import { HTTP_CONNECTION_MANAGER_TYPE, ROUTER_TYPE, type HttpConnectionManager } from './http-connection-manager.js';
import { typeUrl } from './names.js';
import { validateAdditions } from './validate-route.js';
import { validateAddress } from './validate-cluster.js';
import { Problems } from './validation-rules.js';

const HCM_DURATIONS = ['stream_idle_timeout', 'request_timeout', 'request_headers_timeout', 'drain_timeout'] as const;

export function validateListener(listener: Listener): string[] {
  const problems = new Problems();
  problems.nonEmpty('name', listener.name);
  validateAddress(problems, 'address', listener.address);
  if (listener.filter_chains.length === 0) problems.add('filter_chains', 'must not be empty');
  listener.filter_chains.forEach((chain, i) =>
    chain.filters.forEach((filter, j) => {
      const path = `filter_chains[${i}].filters[${j}]`;
      problems.nonEmpty(`${path}.name`, filter.name);
      if (isHttpConnectionManager(filter.typed_config)) validateManager(problems, `${path}.typed_config`, filter.typed_config);
    }),
  );
  return problems.list;
}

function isHttpConnectionManager(config: TypedConfig): config is TypedConfig & HttpConnectionManager {
  return config['@type'] === typeUrl(HTTP_CONNECTION_MANAGER_TYPE);
}

function validateManager(problems: Problems, path: string, manager: HttpConnectionManager): void {
  problems.nonEmpty(`${path}.stat_prefix`, manager.stat_prefix);
  problems.nonEmpty(`${path}.rds.route_config_name`, manager.rds.route_config_name);
  // Envoy requires the router to be the last HTTP filter: it is the one that answers.
  const last = manager.http_filters.at(-1);
  if (last?.typed_config['@type'] !== typeUrl(ROUTER_TYPE)) problems.add(`${path}.http_filters`, 'must end with the router filter');
  for (const key of HCM_DURATIONS) problems.duration(`${path}.${key}`, manager[key]);
  problems.duration(`${path}.common_http_protocol_options.idle_timeout`, manager.common_http_protocol_options.idle_timeout);
  const kb = manager.max_request_headers_kb.value;
  if (!Number.isInteger(kb) || kb < 1 || kb > 8192) problems.add(`${path}.max_request_headers_kb`, `must be from 1 to 8192, got ${kb}`);
  manager.local_reply_config.mappers.forEach((mapper, i) =>
    validateAdditions(problems, `${path}.local_reply_config.mappers[${i}].headers_to_add`, mapper.headers_to_add),
  );
}
