import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { formatBytes, fsyncPath, runCommand, serverDatabasePath, typedPath, utcStamp } from './backup.ts';
import { DatabaseRefusal, acquireServerLock, integrityProblems, migrationHistoryProblem } from './startup-checks.ts';

/**
 * Puts a backup in place of the database (`npm run db:restore -- FILE`), with the server stopped.
 * Everything written to the database after the backup was taken is gone from it afterwards; the
 * replaced database is kept beside it, whole, in case the wrong backup was restored.
 */

export type RestoreOutcome = { bytes: number; ms: number; replacedKeptAs: string | null };

export async function restoreDatabaseFile(backup: string, target: string, now: Date): Promise<RestoreOutcome> {
  const from = resolve(backup);
  const to = resolve(target);
  if (!existsSync(from) || !statSync(from).isFile()) throw new DatabaseRefusal(`the backup ${from} does not exist or is not a file`);
  if (from === to) throw new DatabaseRefusal(`the backup is the database itself (${to})`);
  // A copy of a live database's file misses the commits still in its -wal file.
  if (existsSync(`${from}-wal`) && statSync(`${from}-wal`).size > 0)
    throw new DatabaseRefusal(`${from} has a -wal file beside it, so it is a live database's file rather than a backup; make a backup of it with npm run db:backup and restore that`);
  const started = performance.now();
  const folder = dirname(to);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new DatabaseRefusal(`cannot create the database folder ${folder}: ${messageOf(error)}`);
  }
  const lock = acquireServerLock(to);
  try {
    // The check runs on a copy beside the target: it is exactly what will be installed, and the
    // backup's own folder (perhaps read-only media) is never written to.
    const temp = join(folder, `.${basename(to)}.restore-${process.pid}.tmp`);
    try {
      try {
        copyFileSync(from, temp);
      } catch (error) {
        throw new DatabaseRefusal(`copying the backup into ${folder} failed (${messageOf(error)}); nothing was changed`);
      }
      checkBackupCopy(temp, from);
      await fsyncPath(temp);
    } catch (error) {
      rmSync(temp, { force: true });
      rmSync(`${temp}-journal`, { force: true });
      throw error;
    }

    // The replaced database leaves with its -wal file, which holds its last commits: left beside
    // the restored file, SQLite would replay that WAL onto it and corrupt it.
    let replacedKeptAs: string | null = null;
    if (existsSync(to)) {
      replacedKeptAs = `${to}.before-restore-${utcStamp(now)}`;
      for (let n = 2; existsSync(replacedKeptAs); n++) replacedKeptAs = `${to}.before-restore-${utcStamp(now)}-${n}`;
      renameSync(to, replacedKeptAs);
      for (const suffix of ['-wal', '-journal']) if (existsSync(`${to}${suffix}`)) renameSync(`${to}${suffix}`, `${replacedKeptAs}${suffix}`);
    }
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${to}${suffix}`, { force: true });
    renameSync(temp, to);
    await fsyncPath(folder);

    const restored = new Database(to, { fileMustExist: true });
    try {
      const problems = integrityProblems(restored, 'integrity_check');
      if (problems) throw new DatabaseRefusal(`the restored ${to} fails PRAGMA integrity_check (${problems})${replacedKeptAs ? `; the replaced database is ${replacedKeptAs}` : ''}`);
    } finally {
      restored.close();
    }
    return { bytes: statSync(to).size, ms: Math.round(performance.now() - started), replacedKeptAs };
  } finally {
    lock.release();
  }
}

/** Refuses a backup that is damaged or not this application's database, before anything is replaced. */
function checkBackupCopy(copyPath: string, backup: string): void {
  let copy: Database.Database | undefined;
  try {
    copy = new Database(copyPath, { fileMustExist: true });
    copy.pragma('journal_mode = DELETE');
    let problems: string | null;
    try {
      problems = integrityProblems(copy, 'integrity_check');
    } catch (error) {
      problems = messageOf(error);
    }
    if (problems) throw new DatabaseRefusal(`the backup ${backup} is damaged (PRAGMA integrity_check: ${problems}); nothing was changed`);
    const tables = copy.prepare(`select count(*) from sqlite_master where type = 'table'`).pluck().get() as number;
    if (tables === 0) throw new DatabaseRefusal(`the backup ${backup} is an empty database; nothing was changed`);
    const history = migrationHistoryProblem(copy);
    if (history) throw new DatabaseRefusal(`the backup ${backup} ${history}, so it is not a backup of this application's database; nothing was changed`);
  } catch (error) {
    if (error instanceof DatabaseRefusal) throw error;
    throw new DatabaseRefusal(`the backup ${backup} is not a sound SQLite database (${messageOf(error)}); nothing was changed`);
  } finally {
    copy?.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const USAGE = 'usage: npm run db:restore -- FILE (replaces DATABASE_PATH, default data/skills.sqlite, with the backup FILE; stop the server first)';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCommand(USAGE, async () => {
    const { positionals } = parseArgs({ options: {}, allowPositionals: true });
    if (positionals.length !== 1) throw new DatabaseRefusal(`give exactly one backup FILE; ${USAGE}`);
    const backup = typedPath(positionals[0]!);
    const target = serverDatabasePath();
    const { bytes, ms, replacedKeptAs } = await restoreDatabaseFile(backup, target, new Date());
    const kept = replacedKeptAs ? `; the replaced database is kept as ${replacedKeptAs} (delete it once the restore is confirmed)` : '';
    return `restored ${target} from ${backup}: ${formatBytes(bytes)}, integrity ok, in ${ms} ms${kept}`;
  });
}
