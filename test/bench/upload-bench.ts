/**
 * `npm run bench:upload` — a zip bomb sent to the certified-level import through real HTTP while
 * /health is asked every 20 ms: how long the refusal takes, how slow /health gets, and the
 * server's memory. Target (issue 10): refused with 413 naming the limit; /health within 100 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { accounts, organisations } from '../../db/schema.ts';
import { XLSX_CONTENT_TYPE } from '../../server/contracts/import.ts';
import { hashPassword } from '../../server/security.ts';
import { hugeSheet, zipOf } from '../helpers/zip.ts';
import { freePort, request, rssMb, startServer } from './bench-helpers.ts';

function post(port: number, path: string, body: Buffer, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'content-type': XLSX_CONTENT_TYPE, 'content-length': body.length, cookie } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'skills-upload-'));
  const dbPath = join(dir, 'upload.sqlite');
  const db = openDb(dbPath);
  migrateDb(db);
  const org = db.insert(organisations).values({ name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340123', path: '' }).returning().get();
  db.$client.prepare('update organisations set path = ? where id = ?').run(`/${org.id}/`, org.id);
  db.insert(accounts).values({ username: 'hr', displayName: 'HR', passwordHash: await hashPassword('bench-password-1'), orgId: org.id, role: 'hr_officer' }).run();
  db.$client.close();

  const port = await freePort();
  const server = await startServer(port, dbPath);
  try {
    const login = await request(port, 'POST', '/api/auth/login', { username: 'hr', password: 'bench-password-1' });
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
    const file = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: hugeSheet(314) }]);
    const idle = rssMb(server.pid!);
    const health: number[] = [];
    let done = false;
    let peak = idle;
    const probe = (async () => {
      while (!done) {
        const t = performance.now();
        await request(port, 'GET', '/health');
        health.push(performance.now() - t);
        peak = Math.max(peak, rssMb(server.pid!));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const t0 = performance.now();
    const res = await post(port, '/api/certificates/import?dryRun=true', file, cookie);
    const took = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    done = true;
    await probe;
    health.sort((a, b) => a - b);
    console.log(`zip bomb: ${(file.length / 1024).toFixed(0)} KB on the wire, 314 MB unpacked`);
    console.log(`answer: ${res.status} ${JSON.parse(res.body).code} in ${took.toFixed(0)} ms`);
    console.log(`/health during the upload: ${health.length} probes, max ${health.at(-1)!.toFixed(1)} ms, p50 ${health[Math.floor(health.length / 2)]!.toFixed(1)} ms`);
    console.log(`server memory: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB`);
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
