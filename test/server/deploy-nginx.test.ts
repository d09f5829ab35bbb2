import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';

/**
 * The sample nginx site of README "Deployment with relays" (server/deploy/nginx/skills.conf), run
 * by Debian's nginx (.ci/run installs nginx-light) as an operator would, with only its addresses
 * and certificate paths moved into a folder of the test's own: `nginx -t` accepts it, and requests
 * reach the instance the README says (writes and staff pages the primary, public streams and
 * venue-screen files a relay, unbuffered), behind TLS, with a full relay's 503 retried on the next.
 * The instances are stand-ins that say who answered, so routing is all this checks.
 */
const NGINX = '/usr/sbin/nginx';
const HOST = 'skills.example.gov.cn';
const SITE = resolve('server/deploy/nginx/skills.conf');

type Backend = { name: string; port: number; server: http.Server; seen: string[] };

let dir: string;
let nginx: ChildProcess;
let httpsPort: number;
let httpPort: number;
let primary: Backend;
let relays: Backend[];
/** Relays answer 503 live_capacity while this is their name (a full relay). */
let full: string | null = null;

async function backend(name: string, relay: boolean): Promise<Backend> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader('x-served-by', name);
    if (relay && full === name) return res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"code":"live_capacity"}');
    // A relay serves the current round only: another one is the primary's (421, and nginx asks it).
    if (relay && /\/ranking\?roundId=/.test(req.url ?? '')) return res.writeHead(421, { 'content-type': 'application/problem+json' }).end('{"code":"relay_read_only"}');
    if (/\/live$/.test(req.url ?? '')) {
      // A stream: the first message now, the rest never (the test reads the first while it stays open).
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`event: snapshot\nid: 1-0\ndata: {"from":"${name}"}\n\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(name);
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return { name, port, server, seen };
}

/** The site as shipped, moved onto the test's ports and certificate: nothing else changed. */
function siteForTest(): string {
  let site = readFileSync(SITE, 'utf8');
  const swap = (from: string | RegExp, to: string) => {
    const next = site.replace(from, to);
    expect(next, `skills.conf no longer has ${from}`).not.toBe(site);
    site = next;
  };
  swap('server 127.0.0.1:3000;', `server 127.0.0.1:${primary.port};`);
  swap('server 127.0.0.1:3101 ', `server 127.0.0.1:${relays[0]!.port} `);
  swap('server 127.0.0.1:3102 ', `server 127.0.0.1:${relays[1]!.port} `);
  swap(/\n\s*listen \[::\]:80;/, '');
  swap(/\n\s*listen \[::\]:443 ssl http2;/, '');
  swap('listen 80;', `listen 127.0.0.1:${httpPort};`);
  swap('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
  swap(`/etc/letsencrypt/live/${HOST}/fullchain.pem`, join(dir, 'cert.pem'));
  swap(`/etc/letsencrypt/live/${HOST}/privkey.pem`, join(dir, 'key.pem'));
  swap('/var/cache/nginx/skills', join(dir, 'cache'));
  return site;
}

function request(
  path: string,
  opts: { method?: string; body?: string; cookie?: string } = {},
): Promise<{ status: number; by: string | undefined; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((ok, fail) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: httpsPort,
        path,
        method: opts.method ?? 'GET',
        headers: { host: HOST, 'content-type': 'application/json', ...(opts.cookie ? { cookie: opts.cookie } : {}) },
        rejectUnauthorized: false,
        servername: HOST,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => ok({ status: res.statusCode!, by: res.headers['x-served-by'] as string | undefined, body, headers: res.headers }));
      },
    );
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** Opens a stream and resolves with its first message and who sent it, while the stream stays open. */
function firstMessage(path: string): Promise<{ by: string | undefined; message: string; close: () => void }> {
  return new Promise((ok, fail) => {
    const req = https.get({ host: '127.0.0.1', port: httpsPort, path, headers: { host: HOST, accept: 'text/event-stream' }, rejectUnauthorized: false, servername: HOST }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        if (text.includes('\n\n')) ok({ by: res.headers['x-served-by'] as string | undefined, message: text, close: () => req.destroy() });
      });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : fail(e)));
    setTimeout(() => fail(new Error('no message within 5 s: the stream is buffered')), 5000).unref();
  });
}

beforeAll(async () => {
  if (spawnSync(NGINX, ['-v']).error) throw new Error('nginx is not installed: apt-get install -y nginx-light (.ci/run does)');
  dir = mkdtempSync(join(tmpdir(), 'skills-nginx-'));
  // nginx's workers run as another user (nobody) when the test runs as root: they write the cache and temp files.
  chmodSync(dir, 0o755);
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'cache']) {
    mkdirSync(join(dir, sub));
    chmodSync(join(dir, sub), 0o777);
  }
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${HOST}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], {
    encoding: 'utf8',
  });
  expect(cert.status, cert.stderr).toBe(0);
  primary = await backend('primary', false);
  relays = [await backend('relay1', true), await backend('relay2', true)];
  httpsPort = await freePort();
  httpPort = await freePort();
  writeFileSync(join(dir, 'skills.conf'), siteForTest());
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k === 'body' ? 'client_body' : k}_temp_path ${join(dir, k)};`),
      `  include ${join(dir, 'skills.conf')};`,
      '}',
    ].join('\n'),
  );
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  nginx.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((ok) => net.connect(httpsPort, '127.0.0.1').once('connect', function (this: net.Socket) {
      this.destroy();
      ok(true);
    }).once('error', () => ok(false)));
    if (up) break;
    if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 30_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  if (nginx && nginx.exitCode === null) await new Promise((r) => nginx.once('exit', r));
  for (const b of [primary, ...(relays ?? [])]) b?.server.closeAllConnections();
  await Promise.all([primary, ...(relays ?? [])].filter(Boolean).map((b) => new Promise((r) => b.server.close(r))));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the sample nginx site (server/deploy/nginx/skills.conf)', () => {
  it('passes nginx -t', () => {
    const test = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    expect(test.status, test.stderr).toBe(0);
    expect(test.stderr).toContain('syntax is ok');
  });

  it('sends plain HTTP to HTTPS, keeping the path, and HSTS on every answer', async () => {
    const res = await new Promise<http.IncomingMessage>((ok, fail) => http.get({ host: '127.0.0.1', port: httpPort, path: '/results/3', headers: { host: HOST } }, ok).on('error', fail));
    res.resume();
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`https://${HOST}/results/3`);
    expect((await request('/results/3')).headers['strict-transport-security']).toBe('max-age=63072000');
  });

  it('routes marks, sign-ins, staff and judge pages, published results and /health to the primary', async () => {
    for (const [method, path] of [
      ['POST', '/api/marks'],
      ['POST', '/api/auth/judge-login'],
      ['GET', '/api/events/7/ranking'],
      ['GET', '/chief'],
      ['GET', '/judge'],
      ['GET', '/api/public/competitions/3/results'],
      ['GET', '/api/public/competitions/3/package'],
      ['GET', '/health'],
    ] as const) {
      const res = await request(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect([path, res.status, res.by]).toEqual([path, 200, 'primary']);
    }
  });

  it('keeps the public’s reading of published results 10 s, so the primary answers once; never for staff, never a POST', async () => {
    const path = '/api/public/competitions/9/results';
    const first = await request(path);
    const second = await request(path);
    expect([first.status, first.by, first.headers['x-cache-status']]).toEqual([200, 'primary', 'MISS']);
    expect([second.status, second.by, second.headers['x-cache-status']]).toEqual([200, 'primary', 'HIT']);
    expect(second.headers['strict-transport-security']).toBe('max-age=63072000');
    expect(primary.seen.filter((r) => r === `GET ${path}`)).toHaveLength(1);
    // A signed-in staff member gets what the primary says now.
    const staff = await request(path, { cookie: 'sid=abc' });
    expect(staff.headers['x-cache-status']).toBe('BYPASS');
    expect(primary.seen.filter((r) => r === `GET ${path}`)).toHaveLength(2);
    // A public objection is a write: each reaches the primary.
    for (let i = 0; i < 2; i++) expect((await request('/api/public/selections/4/objections', { method: 'POST', body: '{}' })).by).toBe('primary');
    expect(primary.seen.filter((r) => r === 'POST /api/public/selections/4/objections')).toHaveLength(2);
  });

  it('routes public live rankings, venue-screen pages and the app’s files to the relays', async () => {
    for (const path of ['/api/public/events/7/ranking', '/api/public/competitions/3/ranking', '/screen/7', '/assets/index-abc.js']) {
      const res = await request(path);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.by).toMatch(/^relay[12]$/);
    }
    // Another round than the current one: the relay says 421, nginx asks the primary.
    const other = await request('/api/public/events/7/ranking?roundId=2');
    expect([other.status, other.by]).toEqual([200, 'primary']);
    // Only reading: a write to a public stream's address is refused at the proxy.
    expect((await request('/api/public/events/7/live', { method: 'POST', body: '{}' })).status).toBe(403);
  });

  it('passes a stream’s first message through at once (no proxy buffering), spreads streams over both relays and skips a full one', async () => {
    const streams = await Promise.all(Array.from({ length: 4 }, () => firstMessage('/api/public/events/7/live')));
    try {
      for (const s of streams) expect(s.message).toContain('event: snapshot');
      // least_conn: with streams held open, both relays carry some.
      expect(new Set(streams.map((s) => s.by))).toEqual(new Set(['relay1', 'relay2']));
    } finally {
      for (const s of streams) s.close();
    }
    full = 'relay1';
    try {
      for (let i = 0; i < 4; i++) {
        const s = await firstMessage('/api/public/competitions/3/live');
        s.close();
        expect(s.by).toBe('relay2');
      }
    } finally {
      full = null;
    }
  });
});
