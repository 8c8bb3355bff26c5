/**
 * An ADS server whose every response a test writes by hand (StreamAggregatedResources only),
 * so the router's client can be shown exact wire behaviour: its requests, ACKs and NACKs,
 * and what it does with responses no real control plane would send.
 */
import type { TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadXdsProtos } from '../../src/xds/proto/load.js';
import type { DiscoveryRequest } from '../../src/xds/server/messages.js';
import { TYPE_URLS, type XdsType } from '../../src/xds/xds-types.js';
import { EventQueue } from './event-queue.js';

const SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

/** A response in proto-loader object form, or raw bytes sent as they are. */
export type ScriptedResponse = Record<string, unknown> | Buffer;
type Call = grpc.ServerDuplexStream<DiscoveryRequest, ScriptedResponse>;

export interface ReceivedRequest extends DiscoveryRequest {
  /** Which stream it came on: 1 for the first the server accepted. */
  readonly stream: number;
}

export class ScriptedAdsServer {
  readonly requests = new EventQueue<ReceivedRequest>();
  /** Resolves a stream's number when it opens. */
  readonly opened = new EventQueue<number>();
  port = 0;
  readonly #server: grpc.Server;
  #call: Call | undefined;
  #streams = 0;

  /** Listening on 127.0.0.1 (on `port` if given), stopped when `t` ends. */
  static async start(t: TestContext, port = 0): Promise<ScriptedAdsServer> {
    const server = new ScriptedAdsServer();
    await server.listen(port);
    t.after(() => server.close());
    return server;
  }

  private constructor() {
    const definition = loadXdsProtos().packageDefinition[SERVICE] as grpc.ServiceDefinition;
    const method = definition['StreamAggregatedResources']!;
    const service = {
      StreamAggregatedResources: {
        ...method,
        responseSerialize: (response: ScriptedResponse) => (Buffer.isBuffer(response) ? response : method.responseSerialize(response)),
      },
    } as grpc.ServiceDefinition;
    this.#server = new grpc.Server();
    this.#server.addService(service, {
      StreamAggregatedResources: (call: Call) => {
        const stream = ++this.#streams;
        this.#call = call;
        this.opened.push(stream);
        call.on('data', (request: DiscoveryRequest) => this.requests.push({ ...request, stream }));
        call.on('error', () => {});
        call.on('end', () => call.end());
      },
    });
  }

  async listen(port: number): Promise<void> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.#server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
  }

  /** Writes `response` on the newest stream. */
  send(response: ScriptedResponse): void {
    if (!this.#call) throw new Error('no stream is open');
    this.#call.write(response);
  }

  /** A DiscoveryResponse of `type` carrying `resources`, each the encoded message, packed in an Any of the type. */
  respond(type: XdsType, version: string, nonce: string, resources: readonly Buffer[]): void {
    this.send({ version_info: version, type_url: TYPE_URLS[type], nonce, resources: resources.map((value) => ({ type_url: TYPE_URLS[type], value })) });
  }

  /** Ends the newest stream with `code`. */
  endStream(code: grpc.status, details: string): void {
    this.#call?.emit('error', { code, details });
    this.#call = undefined;
  }

  /** The next request, which must be for `type`. */
  async nextOf(type: XdsType, timeoutMs = 2_000): Promise<ReceivedRequest> {
    const request = await this.requests.next(timeoutMs);
    if (request.type_url !== TYPE_URLS[type]) throw new Error(`expected a ${type} request, got ${JSON.stringify(request)}`);
    return request;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#server.forceShutdown();
        resolve();
      }, 100);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
