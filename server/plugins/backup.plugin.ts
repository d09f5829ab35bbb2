import { accessSync, constants, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import { formatBytes, utcStamp, writeBackup } from '../../db/backup.ts';
import { DatabaseRefusal } from '../../db/startup-checks.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Scheduled backups (BACKUP_DIR); `runNow` takes one at once and resolves with its file, or null when off or failed. */
    backups: { runNow(): Promise<string | null> };
  }
}

/** The names scheduled backups are written under; only these are pruned. */
const BACKUP_NAME = /^skills-\d{8}T\d{6}Z\.sqlite$/;

/**
 * Every `everyMinutes` an online backup of the database to `dir/skills-<UTC time>.sqlite` (the
 * app's clock), keeping the newest `keep`. A failed backup is logged and the server carries on.
 */
export default fp(
  async (app, opts: { dir: string | null; everyMinutes: number; keep: number }) => {
    if (!opts.dir) {
      app.decorate('backups', { runNow: async () => null });
      return;
    }
    const dir = resolve(opts.dir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw new DatabaseRefusal(`BACKUP_DIR ${dir} cannot be created or written: ${error instanceof Error ? error.message : String(error)}`);
    }

    const backUp = async (): Promise<string | null> => {
      const file = join(dir, `skills-${utcStamp(app.clock.now())}.sqlite`);
      try {
        const started = performance.now();
        const { bytes } = await writeBackup(app.db.$client, file);
        const pruned = prune(dir, opts.keep);
        app.log.info({ file, bytes, ms: Math.round(performance.now() - started), pruned }, `backup written: ${file} (${formatBytes(bytes)})`);
        return file;
      } catch (error) {
        app.log.error({ err: error, file }, 'scheduled backup failed; the server carries on');
        return null;
      }
    };
    // One backup at a time: a tick (or a call) while one is still being written waits for that one.
    let running: Promise<string | null> | null = null;
    const runNow = () => (running ??= backUp().finally(() => (running = null)));

    const timer = setInterval(() => void runNow(), opts.everyMinutes * 60_000);
    timer.unref();
    app.decorate('backups', { runNow });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'backups', dependencies: ['db', 'clock'] },
);

/** Deletes all but the newest `keep` scheduled backups (names sort by time); returns how many went. */
function prune(dir: string, keep: number): number {
  const backups = readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort();
  const old = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of old) rmSync(join(dir, name), { force: true });
  return old.length;
}
