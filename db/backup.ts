import { existsSync, rmSync } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig } from '../server/config.ts';
import { DatabaseRefusal, integrityProblems } from './startup-checks.ts';

/**
 * Online backup of the database (`npm run db:backup -- FILE [--force]`), safe while the server
 * runs; also what the server's scheduled backups write with (server/plugins/backup.plugin.ts).
 */

/** Pages per backup step that means "all of them": better-sqlite3 takes no negative count. */
const ALL_PAGES = 0x7fffffff;

/**
 * Writes a consistent copy of `source` to `file`, replacing it. The copy is written beside `file`
 * under a temporary name, synced and renamed, so `file` is never a half-written backup. It is left
 * in rollback-journal mode, one self-contained file: a copy in WAL mode would grow -wal and -shm
 * files beside it as soon as anything read it.
 *
 * `inOneStep`: copy every page in one step. Needed when another connection (the running server)
 * writes to `source`: SQLite restarts a stepwise backup whenever another connection writes, so on a
 * busy server it might never finish. A step holds a read transaction, which in WAL mode does not
 * hold up the server's writes. The server's own scheduled backups go stepwise: its writes go through
 * the source connection and are carried into the copy, and requests get their turn between steps.
 *
 * `check`: run `PRAGMA quick_check` on the copy (it reads every page, so the server, whose event
 * loop it would hold up, leaves it to the command).
 */
export async function writeBackup(source: Database.Database, file: string, opts: { inOneStep?: boolean; check?: boolean } = {}): Promise<{ bytes: number }> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await source.backup(temp, opts.inOneStep ? { progress: () => ALL_PAGES } : undefined);
    const copy = new Database(temp);
    try {
      copy.pragma('journal_mode = DELETE');
      const problems = opts.check ? integrityProblems(copy, 'quick_check') : null;
      if (problems) throw new DatabaseRefusal(`the backup copy fails PRAGMA quick_check (${problems}): the database itself is probably damaged`);
    } finally {
      copy.close();
    }
    await fsyncPath(temp);
    await rename(temp, file);
    await fsyncPath(dirname(file));
    return { bytes: (await stat(file)).size };
  } catch (error) {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
    throw error;
  }
}

/** Flushes a file, or a folder's entries after a rename, to the disk (off the event loop). */
export async function fsyncPath(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // Windows cannot open a folder to sync it; there a rename is as durable as the OS makes it.
    if ((await stat(path)).isDirectory()) return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Backs up the database file at `source` to `file`; refuses a missing source or (without `force`) an existing `file`. */
export async function backupDatabaseFile(source: string, file: string, opts: { force?: boolean } = {}): Promise<{ bytes: number; ms: number }> {
  const from = resolve(source);
  const to = resolve(file);
  if (!existsSync(from)) throw new DatabaseRefusal(`DATABASE_PATH ${from} does not exist: there is nothing to back up (check DATABASE_PATH)`);
  if (to === from) throw new DatabaseRefusal(`the backup file is the database itself (${from})`);
  if (!existsSync(dirname(to))) throw new DatabaseRefusal(`the folder ${dirname(to)} does not exist`);
  if (existsSync(to) && !opts.force) throw new DatabaseRefusal(`${to} already exists; add --force to overwrite it`);
  const started = performance.now();
  let db: Database.Database | undefined;
  try {
    db = new Database(from, { readonly: true, fileMustExist: true });
    const { bytes } = await writeBackup(db, to, { inOneStep: true, check: true });
    return { bytes, ms: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof DatabaseRefusal) throw error;
    throw new DatabaseRefusal(`backing up ${from} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db?.close();
  }
}

/** A UTC time for file names, sorting as it reads: 20260314T081500Z. */
export function utcStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A path the operator typed: relative to the folder they typed it in (npm runs scripts from the
 * project folder and says where the command was given in INIT_CWD).
 */
export function typedPath(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** The database the server would open: DATABASE_PATH as the server reads it, nothing else from the environment. */
export function serverDatabasePath(): string {
  try {
    return resolve(loadConfig({ DATABASE_PATH: process.env.DATABASE_PATH }).databasePath);
  } catch (error) {
    throw new DatabaseRefusal(error instanceof Error ? error.message.replace(/\s*\n\s*/g, ' ') : String(error));
  }
}

/**
 * Runs a db:* command: prints what it did, or a refusal or bad argument as one line on stderr with
 * exit code 1. Anything else is a bug and keeps its stack trace.
 */
export async function runCommand(usage: string, command: () => Promise<string>): Promise<void> {
  try {
    console.log(await command());
  } catch (error) {
    if (error instanceof DatabaseRefusal) console.error(error.message);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`${(error as Error).message}; ${usage}`);
    else console.error(error);
    process.exitCode = 1;
  }
}

const USAGE = 'usage: npm run db:backup -- FILE [--force] (backs up DATABASE_PATH, default data/skills.sqlite, to FILE)';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCommand(USAGE, async () => {
    const { values, positionals } = parseArgs({ options: { force: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new DatabaseRefusal(`give exactly one backup FILE; ${USAGE}`);
    const source = serverDatabasePath();
    const file = typedPath(positionals[0]!);
    const { bytes, ms } = await backupDatabaseFile(source, file, { force: values.force });
    return `backed up ${source} to ${file}: ${formatBytes(bytes)} in ${ms} ms`;
  });
}
