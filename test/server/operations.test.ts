import { spawn } from 'node:child_process';
import { chmodSync, closeSync, constants, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { backupDatabaseFile } from '../../db/backup.ts';
import { openDb } from '../../db/client.ts';
import { restoreDatabaseFile } from '../../db/restore.ts';
import { organisations } from '../../db/schema.ts';
import { checkWritable, DatabaseRefusal } from '../../db/startup-checks.ts';
import { buildApp } from '../../server/app.ts';
import { fixedClock, type Clock } from '../../server/clock.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Operating the database (issue 10): /health probes it, the server refuses a database it must not
 * serve, backups are taken online (by command and on a schedule) and restored safely.
 */

const SECRET = 'test-secret-test-secret-test-secret-0123';
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const AT = '2026-03-14T08:00:00.000Z';

const dirs: string[] = [];
const openApps: TestApp[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'operations-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(openApps.splice(0).map((app) => app.close()));
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function configFor(databasePath: string, overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ DEMO: 'false', SESSION_SECRET: SECRET, WEB_DIST: '/nonexistent', DATABASE_PATH: databasePath }), ...overrides };
}

/** The app as `npm start` builds it, on a database file (closed after each test). */
async function startOn(databasePath: string, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const app = (await buildApp(configFor(databasePath), { logger: false, clock: opts.clock })) as TestApp;
  await app.ready();
  openApps.push(app);
  return app;
}

async function stop(app: TestApp): Promise<void> {
  openApps.splice(openApps.indexOf(app), 1);
  await app.close();
}

function addOrganisations(app: TestApp, names: string[]): void {
  app.db
    .insert(organisations)
    .values(names.map((name, i) => ({ name, kind: 'union' as const, level: 'county' as const, regionCode: '340123', path: `/${name}-${i}/` })))
    .run();
}

/** Organisation names in a database file, read without changing it. */
function namesIn(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select name from organisations order by id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** A migrated database file holding `names`, closed. */
async function databaseWith(names: string[]): Promise<string> {
  const path = join(tempDir(), 'skills.sqlite');
  const app = await startOn(path);
  addOrganisations(app, names);
  await stop(app);
  return path;
}

/**
 * Damages one leaf page of the organisations table in the middle of the file, as a flipped bit
 * would: its header's count of fragmented bytes. Every row still reads; only a check finds it.
 */
function corruptOrganisationsPage(path: string): void {
  const db = new Database(path);
  const page = db.prepare(`select pageno from dbstat where name = 'organisations' and pagetype = 'leaf' order by pageno limit 1 offset 1`).pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from([0x3f]), 0, 1, (page - 1) * pageSize + 7);
  closeSync(fd);
}

const manyNames = (n: number) => Array.from({ length: n }, (_, i) => `工会${i}-${'x'.repeat(60)}`);

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a TypeScript entry point of the project as its own process. */
function runNode(args: string[], env: Record<string, string>, opts: { uid?: number; gid?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: REPO, env: { ...process.env, ...env }, ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // A server that should have refused but started would listen for ever.
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `server/main.ts` (what `npm start` runs) on a database. */
function runServer(databasePath: string, env: Record<string, string> = {}, opts: { uid?: number; gid?: number } = {}): Promise<Run> {
  return runNode(['server/main.ts'], { DATABASE_PATH: databasePath, PORT: '0', HOST: '127.0.0.1', DEMO: 'false', SESSION_SECRET: SECRET, WEB_DIST: '/nonexistent', LOG_LEVEL: 'warn', ...env }, opts);
}

describe('/health', () => {
  it('answers 200 when the database takes a read and a write, stamping the probe row with the app clock', async () => {
    const app = await buildTestApp({}, { clock: fixedClock(AT) });
    openApps.push(app);
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, database: { read: true, write: true }, uptimeSeconds: expect.any(Number), rssMb: expect.any(Number), heapUsedMb: expect.any(Number) });
    expect(res.json().database.error).toBeUndefined();
    expect(app.db.$client.prepare('select id, checked_at from health_probe').all()).toEqual([{ id: 1, checked_at: Date.parse(AT) }]);
  });

  it('stays fast on a file database (a synced write per probe)', async () => {
    const app = await startOn(join(tempDir(), 'skills.sqlite'));
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[15]).toBeLessThan(100);
  });

  it('answers 503 naming the write probe when the database stops taking writes, and 200 again after', async () => {
    const app = await buildTestApp();
    openApps.push(app);
    app.db.$client.pragma('query_only = ON');
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ok: false, database: { read: true, write: false, error: expect.stringMatching(/^write: .*readonly/) } });
    app.db.$client.pragma('query_only = OFF');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers 503 naming both probes when the read fails too', async () => {
    const app = await buildTestApp();
    openApps.push(app);
    app.db.$client.exec('drop table health_probe');
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().database).toEqual({ read: false, write: false, error: expect.stringMatching(/^read: .*; write: /) });
  });
});

describe('the server refuses a database it must not serve', () => {
  it('refuses a file that fails PRAGMA quick_check, before migrating it', async () => {
    const path = await databaseWith(manyNames(300));
    corruptOrganisationsPage(path);
    const before = readFileSync(path);
    await expect(startOn(path)).rejects.toThrow(DatabaseRefusal);
    await expect(startOn(path)).rejects.toThrow(/skills\.sqlite is damaged \(PRAGMA quick_check: Fragmentation of 0 bytes reported as 63 on page \d+\); restore the last good backup/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const path = join(tempDir(), 'skills.sqlite');
    writeFileSync(path, 'not a database\n'.repeat(500));
    await expect(startOn(path)).rejects.toThrow(/skills\.sqlite cannot be opened as a SQLite database: file is not a database/);
  });

  it('refuses tables without migration history in one line instead of "table accounts already exists"', async () => {
    const path = join(tempDir(), 'skills.sqlite');
    const db = new Database(path);
    db.exec('create table accounts (id integer primary key); create table people (id integer primary key)');
    db.close();
    await expect(startOn(path)).rejects.toThrow(/skills\.sqlite has tables \(accounts, people\) but no migration history \(__drizzle_migrations\)/);
    const after = new Database(path, { readonly: true });
    expect(after.prepare(`select name from sqlite_master where type = 'table' order by name`).pluck().all()).toEqual(['accounts', 'people']);
    after.close();
  });

  it('refuses a second server on the file while the first is open, in this process or another (one line on stderr, exit code 1), and allows it once the first has closed', async () => {
    const path = join(tempDir(), 'skills.sqlite');
    const first = await startOn(path);
    const inUse = `skills\\.sqlite is in use by another process \\(pid ${process.pid}\\): a server is already running on it`;
    await expect(startOn(path)).rejects.toThrow(new RegExp(inUse));
    // The refused attempt in this process left the first one's lock in place.
    const run = await runServer(path);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^Refusing to start: .*${inUse}`))]);
    expect((await first.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await stop(first);
    const second = await startOn(path);
    expect((await second.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 30_000);

  it('lets a server start after the previous holder of the lock was killed (the lock file stays, the lock does not)', async () => {
    const path = join(tempDir(), 'skills.sqlite');
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `import { acquireServerLock } from './db/startup-checks.ts'; acquireServerLock(process.env.LOCK_DB); console.log('locked'); setInterval(() => {}, 1000);`],
      { cwd: REPO, env: { ...process.env, LOCK_DB: path } },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
        holder.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
      await expect(startOn(path)).rejects.toThrow(new RegExp(`in use by another process \\(pid ${holder.pid}\\)`));
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill('SIGKILL');
      await exited;
    }
    expect(existsSync(`${path}.lock`)).toBe(true);
    const app = await startOn(path);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 30_000);

  it('refuses a read-only database file or folder, each in one line', async () => {
    if (process.getuid?.() === 0 && !othersCanReach(process.cwd())) {
      // Root may write anything and "nobody" cannot reach this checkout to run the server: the
      // check is asked with the answers a read-only file and folder give.
      const path = await databaseWith(['a']);
      const folderOf = (p: string) => p.slice(0, p.lastIndexOf('/'));
      expect(() => checkWritable(path, (p, mode) => !(p === path && mode & constants.W_OK))).toThrow(/skills\.sqlite is read-only for this process/);
      expect(() => checkWritable(path, (p, mode) => !(p === folderOf(path) && mode & constants.W_OK))).toThrow(/the folder .* is read-only for this process/);
      return;
    }
    const readOnlyFile = await databaseWith(['a']);
    const readOnlyFolder = await databaseWith(['b']);
    const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
    let as: { uid?: number; gid?: number } = {};
    if (process.getuid?.() === 0) {
      // Root may write anything: the server runs as nobody, on root's files.
      as = { uid: 65534, gid: 65534 };
      chmodSync(folderOf(readOnlyFile), 0o755);
      chmodSync(readOnlyFile, 0o644);
      chmodSync(folderOf(readOnlyFolder), 0o755);
      chmodSync(readOnlyFolder, 0o666);
    } else {
      chmodSync(readOnlyFile, 0o444);
      chmodSync(folderOf(readOnlyFolder), 0o555);
    }
    try {
      const [file, folder] = await Promise.all([runServer(readOnlyFile, {}, as), runServer(readOnlyFolder, {}, as)]);
      expect(file.code).toBe(1);
      expect(file.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Refusing to start: .*skills\.sqlite is read-only for this process \(uid \d+\): the server must write it/)]);
      expect(folder.code).toBe(1);
      expect(folder.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Refusing to start: the folder .* is read-only for this process \(uid \d+\): SQLite's WAL mode creates/)]);
    } finally {
      chmodSync(folderOf(readOnlyFolder), 0o755);
    }
  }, 40_000);

  it('prints a configuration error without a stack trace', async () => {
    const run = await runServer(join(tempDir(), 'skills.sqlite'), { PORT: 'eighty', BACKUP_KEEP: '0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Invalid configuration:\n {2}PORT: .*\n {2}BACKUP_KEEP: .*\n$/);
  }, 30_000);
});

/** Whether a user other than the owner may pass through every folder down to `dir` (to run the server from it). */
function othersCanReach(dir: string): boolean {
  const parts = dir.split('/').filter(Boolean);
  return parts.every((_, i) => (statSync(`/${parts.slice(0, i + 1).join('/')}`).mode & 0o001) !== 0);
}

describe('npm run db:backup', () => {
  it("copies a running app's database, commits still in its WAL included, into one self-contained file", async () => {
    const path = join(tempDir(), 'skills.sqlite');
    const app = await startOn(path);
    addOrganisations(app, ['肥西县总工会', '合肥市总工会']);
    expect(existsSync(`${path}-wal`)).toBe(true);
    const file = join(tempDir(), 'backup.sqlite');
    const { bytes, ms } = await backupDatabaseFile(path, file);
    expect(bytes).toBeGreaterThan(0);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(namesIn(file)).toEqual(['肥西县总工会', '合肥市总工会']);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    expect(readdirSync(join(file, '..'))).toEqual(['backup.sqlite']);
    // The app carries on; a backup is not a lock.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('refuses a DATABASE_PATH that does not exist instead of backing up an empty database', async () => {
    const dir = tempDir();
    await expect(backupDatabaseFile(join(dir, 'missing.sqlite'), join(dir, 'backup.sqlite'))).rejects.toThrow(/missing\.sqlite does not exist: there is nothing to back up/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says so when the database is damaged, leaving no backup behind', async () => {
    const path = await databaseWith(manyNames(300));
    corruptOrganisationsPage(path);
    const dir = tempDir();
    await expect(backupDatabaseFile(path, join(dir, 'backup.sqlite'))).rejects.toThrow(/the backup copy fails PRAGMA quick_check \(Fragmentation of 0 bytes reported as 63 on page \d+\): the database itself is probably damaged/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to overwrite a file unless forced', async () => {
    const path = await databaseWith(['a']);
    const file = join(tempDir(), 'backup.sqlite');
    writeFileSync(file, 'keep me');
    await expect(backupDatabaseFile(path, file)).rejects.toThrow(/backup\.sqlite already exists; add --force to overwrite it/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    await backupDatabaseFile(path, file, { force: true });
    expect(namesIn(file)).toEqual(['a']);
  });

  it('runs as a command: one line with the size and time, or one line saying why not', async () => {
    const path = await databaseWith(['a']);
    const file = join(tempDir(), 'backup.sqlite');
    const [done, missing] = await Promise.all([
      runNode(['db/backup.ts', file], { DATABASE_PATH: path }),
      runNode(['db/backup.ts', file], { DATABASE_PATH: join(tempDir(), 'missing.sqlite') }),
    ]);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/^backed up .*skills\.sqlite to .*backup\.sqlite: [\d.]+ [KM]B in \d+ ms\n$/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^DATABASE_PATH .*missing\.sqlite does not exist: there is nothing to back up \(check DATABASE_PATH\)\n$/);
  }, 30_000);
});

describe('npm run db:restore', () => {
  it('refuses while a server holds the database, changing nothing', async () => {
    const backup = join(tempDir(), 'backup.sqlite');
    await backupDatabaseFile(await databaseWith(['from the backup']), backup);
    const target = join(tempDir(), 'skills.sqlite');
    const app = await startOn(target);
    addOrganisations(app, ['live']);
    await expect(restoreDatabaseFile(backup, target, new Date(AT))).rejects.toThrow(/skills\.sqlite is in use by another process \(pid \d+\): a server is already running on it or a restore is under way/);
    await stop(app);
    expect(namesIn(target)).toEqual(['live']);
  });

  it('refuses a damaged backup before touching the database', async () => {
    const backup = join(tempDir(), 'backup.sqlite');
    await backupDatabaseFile(await databaseWith(manyNames(300)), backup);
    corruptOrganisationsPage(backup);
    const target = await databaseWith(['current']);
    const folder = join(target, '..');
    const before = readdirSync(folder);
    const bytes = readFileSync(target);
    await expect(restoreDatabaseFile(backup, target, new Date(AT))).rejects.toThrow(/the backup .*backup\.sqlite is damaged \(PRAGMA integrity_check: Fragmentation of 0 bytes reported as 63 on page \d+\); nothing was changed/);
    expect(readdirSync(folder)).toEqual(before);
    expect(readFileSync(target).equals(bytes)).toBe(true);
  });

  it('refuses a backup that is not one of this application', async () => {
    const backup = join(tempDir(), 'other.sqlite');
    const other = new Database(backup);
    other.exec('create table accounts (id integer primary key)');
    other.close();
    const target = await databaseWith(['current']);
    await expect(restoreDatabaseFile(backup, target, new Date(AT))).rejects.toThrow(/has tables \(accounts\) but no migration history/);
    expect(namesIn(target)).toEqual(['current']);
  });

  it("puts the backup in place: the old WAL goes with the replaced database instead of being replayed onto the backup", async () => {
    const backup = join(tempDir(), 'backup.sqlite');
    const target = join(tempDir(), 'skills.sqlite');
    const app = await startOn(target);
    addOrganisations(app, ['before the backup']);
    await backupDatabaseFile(target, backup);
    addOrganisations(app, ['after the backup']);
    // The database as a crash leaves it: recent commits only in its -wal file.
    const crashed = join(tempDir(), 'skills.sqlite');
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(`${target}${suffix}`, `${crashed}${suffix}`);
    await stop(app);

    const outcome = await restoreDatabaseFile(backup, crashed, new Date(AT));

    expect(outcome.replacedKeptAs).toBe(`${crashed}.before-restore-20260314T080000Z`);
    expect(readdirSync(join(crashed, '..')).sort()).toEqual(['skills.sqlite', 'skills.sqlite.before-restore-20260314T080000Z', 'skills.sqlite.before-restore-20260314T080000Z-wal', 'skills.sqlite.lock']);
    expect(namesIn(crashed)).toEqual(['before the backup']);
    const restored = new Database(crashed, { readonly: true });
    expect(restored.pragma('integrity_check', { simple: true })).toBe('ok');
    restored.close();
    // Nothing is lost for good: the replaced database still opens with its last commits.
    expect(namesIn(outcome.replacedKeptAs!)).toEqual(['before the backup', 'after the backup']);
    // And the server starts on the restored database.
    const again = await startOn(crashed);
    expect((await again.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect(again.db.select({ name: organisations.name }).from(organisations).all()).toEqual([{ name: 'before the backup' }]);
  });
});

describe('scheduled backups', () => {
  /** An in-memory app with BACKUP_DIR set, its log lines kept. */
  async function appBackingUpTo(dir: string, clock: Clock, overrides: Partial<Config> = {}) {
    const lines: { level: number; msg: string; file?: string }[] = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = { ...configFor(':memory:'), backupDir: dir, backupEveryMinutes: 60, backupKeep: 3, ...overrides };
    const app = (await buildApp(config, { db: openDb(':memory:'), logStream, clock })) as TestApp;
    await app.ready();
    openApps.push(app);
    return { app, lines };
  }

  it('writes skills-<UTC time>.sqlite by the app clock, keeps the newest BACKUP_KEEP and logs one line each', async () => {
    const dir = join(tempDir(), 'backups');
    const clock = fixedClock(AT);
    const { app, lines } = await appBackingUpTo(dir, clock);
    addOrganisations(app, ['a']);
    for (let i = 0; i < 5; i++) {
      expect(await app.backups.runNow()).toBe(join(dir, `skills-20260314T${String(8 + i).padStart(2, '0')}0000Z.sqlite`));
      clock.advance(3600_000);
    }
    expect(readdirSync(dir)).toEqual(['skills-20260314T100000Z.sqlite', 'skills-20260314T110000Z.sqlite', 'skills-20260314T120000Z.sqlite']);
    expect(namesIn(join(dir, 'skills-20260314T120000Z.sqlite'))).toEqual(['a']);
    expect(lines.filter((l) => l.msg.startsWith('backup written'))).toHaveLength(5);
  });

  it('takes a backup every BACKUP_EVERY_MINUTES', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const dir = join(tempDir(), 'backups');
      await appBackingUpTo(dir, fixedClock(AT), { backupEveryMinutes: 5 });
      vi.advanceTimersByTime(4 * 60_000);
      expect(readdirSync(dir)).toEqual([]);
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(() => expect(readdirSync(dir)).toEqual(['skills-20260314T080000Z.sqlite']));
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failed backup as an error and keeps serving', async () => {
    const dir = join(tempDir(), 'backups');
    const { app, lines } = await appBackingUpTo(dir, fixedClock(AT));
    rmSync(dir, { recursive: true });
    expect(await app.backups.runNow()).toBeNull();
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: 'scheduled backup failed; the server carries on' }));
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('refuses to start with a BACKUP_DIR it cannot create', async () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    await expect(appBackingUpTo(join(blocker, 'backups'), fixedClock(AT))).rejects.toThrow(/^BACKUP_DIR .*a-file\/backups cannot be created or written/);
  });

  it('is off unless BACKUP_DIR is set; its numbers are checked', async () => {
    expect(configFor(':memory:').backupDir).toBeNull();
    expect(loadConfig({ BACKUP_DIR: '  ' }).backupDir).toBeNull();
    expect(loadConfig({ BACKUP_DIR: 'backups' })).toMatchObject({ backupDir: 'backups', backupEveryMinutes: 60, backupKeep: 24 });
    expect(() => loadConfig({ BACKUP_EVERY_MINUTES: '0' })).toThrow(/BACKUP_EVERY_MINUTES/);
    expect(() => loadConfig({ BACKUP_KEEP: 'all' })).toThrow(/BACKUP_KEEP/);
    const app = await buildTestApp();
    openApps.push(app);
    expect(await app.backups.runNow()).toBeNull();
  });
});
