/**
 * nginx as a bench/router target (when installed): a generated configuration in the work
 * directory, one worker, keep-alive to the backend, no logs, everything kept in memory
 * (bodies and responses stay in buffers; a temp file on disk would measure the disk).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BenchProcess } from './router-process.js';

export const NGINX = '/usr/sbin/nginx';

function config(backendPort: number, port: number, dir: string): string {
  const asRoot = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${asRoot}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  # The 16 KiB POST body and the 64 KiB response fit in memory.
  client_body_buffer_size 64k;
  proxy_buffer_size 16k;
  proxy_buffers 8 16k;
  proxy_max_temp_file_size 0;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
    }
  }
}
`;
}

export async function startNginx(backendPort: number, port: number, workDir: string): Promise<BenchProcess> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is not installed`);
  const dir = join(workDir, 'nginx');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), config(backendPort, port, dir));
  const nginx = new BenchProcess('nginx', NGINX, ['-p', `${dir}/`, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')]);
  await waitForListener(nginx, port, 10_000);
  return nginx;
}

/** nginx prints nothing when ready: poll the port. */
async function waitForListener(owner: BenchProcess, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (!owner.alive || Date.now() > deadline) {
      await owner.stop();
      throw new Error(`${owner.name} is not listening on 127.0.0.1:${port}; its output:\n${owner.tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
