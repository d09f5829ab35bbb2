import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from './client.ts';

/**
 * Why the server (or a backup or restore) will not go on with a database: one line for the
 * operator, printed without a stack trace by server/main.ts and the db:* commands.
 */
export class DatabaseRefusal extends Error {
  override name = 'DatabaseRefusal';
}

/** The first problems an integrity pragma reports, as one line; null when it says ok. */
export function integrityProblems(sqlite: Database.Database, pragma: 'quick_check' | 'integrity_check'): string | null {
  const rows = sqlite.pragma(pragma) as Record<string, string>[];
  const lines = rows
    .flatMap((row) => String(Object.values(row)[0] ?? '').split('\n'))
    .filter((line) => line.trim() && !line.startsWith('*** in database'));
  if (lines.length === 1 && lines[0] === 'ok') return null;
  const shown = lines.slice(0, 2).join('; ');
  return lines.length > 2 ? `${shown}; and ${lines.length - 2} more` : shown;
}

/**
 * What is wrong when a database has tables but no drizzle migration history (migrating it would
 * try to create every table again and fail on the first, "table accounts already exists"); null
 * for an empty database or one with history.
 */
export function migrationHistoryProblem(sqlite: Database.Database): string | null {
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'`).pluck().all() as string[];
  const appTables = tables.filter((name) => name !== '__drizzle_migrations');
  if (appTables.length === 0) return null;
  const applied = tables.includes('__drizzle_migrations') ? (sqlite.prepare('select count(*) from __drizzle_migrations').pluck().get() as number) : 0;
  if (applied > 0) return null;
  const named = appTables.slice(0, 3).join(', ') + (appTables.length > 3 ? ', …' : '');
  return `has tables (${named}) but no migration history (__drizzle_migrations)`;
}

/** A held server lock on a database file; `release` lets the next server (or restore) take it. */
export type ServerLock = { release(): void };

/**
 * One server per database file. The lock is an exclusive SQLite transaction held open on
 * `<database>.lock`, which SQLite takes with a POSIX record lock: the kernel drops it when the
 * holding process ends, however it ends (kill -9, power cut, a container restarted as pid 1), so
 * there is never a stale lock to clean up or a recycled pid to mistake for a live server. SQLite
 * also tracks these locks between connections of one process, so a second app in the same process
 * is refused too.
 *
 * The file is left in place on release: deleting it could let one starting process lock the
 * deleted file while another creates and locks a new one. The holding process must never open
 * the lock file with `fs` (closing any descriptor of a file drops all of a process's POSIX locks
 * on it); `stat` by path is safe.
 */
export function acquireServerLock(databasePath: string): ServerLock {
  const lockPath = `${databasePath}.lock`;
  let lock: Database.Database;
  try {
    lock = new Database(lockPath, { timeout: 0 });
  } catch (error) {
    throw new DatabaseRefusal(`cannot create the lock file ${lockPath}: ${messageOf(error)}`);
  }
  try {
    // Nothing is ever written: no journal file needs to sit beside the lock.
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      const holder = lockHolder(lockPath);
      throw new DatabaseRefusal(
        `${databasePath} is in use by another process${holder ? ` (pid ${holder})` : ''}: a server is already running on it or a restore is under way; stop it first (it holds ${lockPath})`,
      );
    }
    throw new DatabaseRefusal(`cannot lock ${lockPath} (${messageOf(error)}); if no server runs on ${databasePath}, delete that file`);
  }
  return { release: () => lock.close() };
}

/** The pid holding a POSIX lock on `lockPath`, where Linux tells (/proc/locks); undefined elsewhere. */
function lockHolder(lockPath: string): number | undefined {
  try {
    const inode = statSync(lockPath).ino;
    for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
      const m = /^\d+:\s+(?:->\s+)?POSIX\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
      if (m && Number(m[2]) === inode) return Number(m[1]);
    }
  } catch {
    // Not Linux, or /proc is hidden: the refusal goes without the pid.
  }
  return undefined;
}

/**
 * Refuses a database this process could read but not write: SQLite would fail on the first mark,
 * not at start. `canAccess` is the file system's answer (a test running as root, whom no mode bit
 * stops, passes its own).
 */
export function checkWritable(path: string, canAccess: (path: string, mode: number) => boolean = hasAccess): void {
  const folder = dirname(path);
  const uid = process.getuid?.();
  const who = uid === undefined ? 'this process' : `this process (uid ${uid})`;
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DatabaseRefusal(`cannot create the database folder ${folder}: ${messageOf(error)}`);
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    if (!canAccess(file, constants.R_OK)) throw new DatabaseRefusal(`${file} cannot be read by ${who}; give that user read and write permission (or start the server as the file's owner)`);
    if (!canAccess(file, constants.W_OK))
      throw new DatabaseRefusal(`${file} is read-only for ${who}: the server must write it; give that user write permission (or start the server as the file's owner)`);
  }
  if (!canAccess(folder, constants.W_OK | constants.X_OK))
    throw new DatabaseRefusal(`the folder ${folder} is read-only for ${who}: SQLite's WAL mode creates ${path}-wal and -shm beside the database; give that user write permission on the folder`);
}

function hasAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a file SQLite cannot read, one that fails `PRAGMA quick_check`, or tables without
 * migration history. Looked at through a connection of its own, before the server's connection
 * switches the file to WAL mode, so a refused database is left as it was.
 */
function inspectDatabaseFile(path: string): void {
  let sqlite: Database.Database | undefined;
  try {
    let problems: string | null;
    try {
      sqlite = new Database(path);
      problems = integrityProblems(sqlite, 'quick_check');
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'SQLITE_CORRUPT') throw new DatabaseRefusal(`${path} cannot be opened as a SQLite database: ${messageOf(error)}`);
      problems = messageOf(error);
    }
    if (problems) throw new DatabaseRefusal(`${path} is damaged (PRAGMA quick_check: ${problems}); restore the last good backup with npm run db:restore -- FILE`);
    const history = migrationHistoryProblem(sqlite!);
    if (history)
      throw new DatabaseRefusal(
        `${path} ${history}: it was not made by this application's migrations, so it cannot be migrated; restore a backup (npm run db:restore -- FILE) or point DATABASE_PATH at another file`,
      );
  } finally {
    sqlite?.close();
  }
}

/**
 * Opens the server's database, or refuses with one line: a folder or file it cannot write, another
 * process already serving it, a damaged file, tables without migration history (all checked before
 * migrating). `close` closes the database and releases the lock.
 */
export function openServerDatabase(path: string): { db: Db; close(): void } {
  if (path === ':memory:') {
    const db = openDb(path);
    return { db, close: () => db.$client.close() };
  }
  if (!path.trim()) throw new DatabaseRefusal('DATABASE_PATH is empty');
  const absolute = resolve(path);
  checkWritable(absolute);
  const lock = acquireServerLock(absolute);
  let db: Db | undefined;
  try {
    inspectDatabaseFile(absolute);
    try {
      db = openDb(absolute);
    } catch (error) {
      throw new DatabaseRefusal(`${absolute} cannot be opened for writing: ${messageOf(error)}`);
    }
    const mode = db.$client.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') throw new DatabaseRefusal(`${absolute} could not be switched to WAL mode (it is in ${String(mode)} mode); check that the file and its folder are writable`);
  } catch (error) {
    db?.$client.close();
    lock.release();
    throw error;
  }
  const opened = db;
  return {
    db: opened,
    close: () => {
      opened.$client.close();
      lock.release();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
