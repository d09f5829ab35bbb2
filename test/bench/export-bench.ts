/**
 * `npm run bench:export` — time and peak server memory of exporting 100,000 certified-level rows
 * to .xlsx (and .csv) through the real HTTP route, the server in its own process.
 * Target (issue 4): at most 5 s and at most 150 MB above the idle server's memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDb } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { accounts, organisations } from '../../db/schema.ts';
import { hashPassword } from '../../server/security.ts';
import { residentId } from '../helpers/scenario.ts';
import { freePort, request, rssMb, startServer } from './bench-helpers.ts';

const ROWS = Number(process.argv[process.argv.indexOf('--rows') + 1]) || 100_000;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'skills-export-'));
  const dbPath = join(dir, 'export.sqlite');
  const db = openDb(dbPath);
  migrateDb(db);
  const org = db.insert(organisations).values({ name: '肥西县人力资源和社会保障局', kind: 'hr_bureau', level: 'county', regionCode: '340123', path: '' }).returning().get();
  db.$client.prepare('update organisations set path = ? where id = ?').run(`/${org.id}/`, org.id);
  db.insert(accounts).values({ username: 'hr', displayName: 'HR', passwordHash: await hashPassword('bench-password-1'), orgId: org.id, role: 'hr_officer' }).run();
  const t0 = performance.now();
  const insertPerson = db.$client.prepare(`insert into people (org_id, name, id_number, gender, birth_date, created_at) values (?, ?, ?, ?, ?, ?)`);
  const insertCert = db.$client.prepare(
    `insert into skill_certificates (person_id, org_id, occupation_code, occupation_name, trade, level, certificate_number, issue_date, evaluation_body, basis, theory_score, practical_score, status, created_at)
     values (?, ?, '6-31-01-03', '电工', '--', ?, ?, ?, '肥西县职业技能鉴定中心', 'exam', ?, ?, 'issued', ?)`,
  );
  db.$client.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      const year = 1970 + (i % 30);
      // Birth dates and sequence numbers vary so the 100,000 ID numbers are distinct and valid.
      const idNumber = residentId(i % 1000, `${1960 + Math.floor(i / 1000) % 40}${String(1 + (Math.floor(i / 40000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 1000) % 28)).padStart(2, '0')}`);
      const person = insertPerson.run(org.id, `职工${i}`, idNumber, i % 2 ? 'male' : 'female', `${year}-01-01`, Date.now());
      const level = 1 + (i % 5);
      insertCert.run(Number(person.lastInsertRowid), org.id, level, `Y0001340000012${6}${level}${String(i).padStart(6, '0')}`, `2026-${String(1 + (i % 12)).padStart(2, '0')}-15`, 60 + (i % 40), 60 + ((i * 7) % 40), Date.now());
    }
  })();
  db.$client.close();
  console.log(`seeded ${ROWS} certified-level rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const server = await startServer(port, dbPath);
  const login = await request(port, 'POST', '/api/auth/login', { username: 'hr', password: 'bench-password-1' });
  const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
  // A small export first, so the measured one is not paying for module loading.
  await request(port, 'GET', '/api/certificates/export?format=csv&level=1&from=2026-01-01&to=2026-01-31', undefined, cookie);
  await new Promise((r) => setTimeout(r, 500));
  const idle = rssMb(server.pid!);
  console.log(`server idle RSS ${idle.toFixed(1)} MB`);

  for (const format of ['xlsx', 'csv'] as const) {
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 10);
    const started = performance.now();
    const body = await new Promise<Buffer>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: `/api/certificates/export?format=${format}`, headers: { cookie } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve(Buffer.concat(parts)));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(server.pid!));
    let dataRows: number;
    if (format === 'xlsx') {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as unknown as ArrayBuffer);
      dataRows = wb.worksheets[0]!.rowCount - 1;
    } else dataRows = body.toString('utf8').trim().split('\r\n').length - 1;
    console.log(
      `${format}: ${dataRows} rows, ${(body.length / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s; server peak RSS ${peak.toFixed(1)} MB = ${(peak - idle).toFixed(1)} MB above idle`,
    );
    if (dataRows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${dataRows}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

await main();
