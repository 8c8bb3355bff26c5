/**
 * The triggerway router as a bench/router target: `triggerway serve` as a child process on a
 * temporary manifest directory holding one HostGroup (the backend) and one HTTPTrigger
 * (`bench.example.com`, Prefix /), ready once it logs `router listening`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_HOST } from './router-payloads.js';
import { BenchProcess } from './router-process.js';

export interface RouterLaunch {
  /** The CLI script run by node (router-cli.js of this build, or bin/triggerway.js). */
  readonly cli: string;
  /** `--workers N`, when given; the router is single-process otherwise. */
  readonly workers: number | undefined;
  readonly readyTimeoutMs: number;
}

/** The router could not be started: the bench goes on without it. */
export class RouterUnavailable extends Error {}

const manifests = (backendPort: number): string => `apiVersion: k8s.cosmonic.io/v1alpha1
kind: HostGroup
metadata:
  name: default
spec:
  gateways:
    - { address: 127.0.0.1, port: ${backendPort} }
---
apiVersion: control.cosmonic.io/v1alpha1
kind: HTTPTrigger
metadata:
  name: bench
  namespace: bench
spec:
  ingress:
    host: ${BENCH_HOST}
    paths:
      - { path: /, pathType: Prefix }
`;

export async function startRouter(launch: RouterLaunch, backendPort: number, port: number, workDir: string): Promise<BenchProcess> {
  const triggers = join(workDir, 'router-triggers');
  mkdirSync(triggers, { recursive: true });
  writeFileSync(join(triggers, 'bench.yaml'), manifests(backendPort));
  const args = [launch.cli, 'serve', '--triggers', triggers, '--data-dir', join(workDir, 'router-data')];
  args.push('--xds-listen', '127.0.0.1:0', '--router-listen', `127.0.0.1:${port}`, '--admin-listen', '127.0.0.1:0', '--log-format', 'json');
  if (launch.workers !== undefined) args.push('--workers', String(launch.workers));
  const router = new BenchProcess('router', process.execPath, args);
  try {
    await router.waitForLine((line) => (logMessage(line) === 'router listening' ? true : undefined), launch.readyTimeoutMs);
  } catch (error) {
    await router.stop();
    throw new RouterUnavailable((error as Error).message);
  }
  return router;
}

function logMessage(line: string): string | undefined {
  try {
    return (JSON.parse(line) as { msg?: string }).msg;
  } catch {
    return undefined;
  }
}
