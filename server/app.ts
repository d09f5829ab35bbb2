import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.ts';
import { databaseProbe } from '../db/health-probe.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import accountsRoutes from './features/accounts/accounts.routes.ts';
import auditRoutes from './features/audit/audit.routes.ts';
import authRoutes from './features/auth/auth.routes.ts';
import calendarRoutes from './features/calendar/calendar.routes.ts';
import chiefRoutes from './features/chief/chief.routes.ts';
import certaintyRoutes from './features/certainty/certainty.routes.ts';
import judgingRoutes from './features/judging/judging.routes.ts';
import certificatesRoutes from './features/certificates/certificates.routes.ts';
import competitionsRoutes from './features/competitions/competitions.routes.ts';
import dashboardRoutes from './features/dashboard/dashboard.routes.ts';
import entriesRoutes from './features/entries/entries.routes.ts';
import eventsRoutes from './features/events/events.routes.ts';
import importRoutes from './features/import/import.routes.ts';
import judgesRoutes from './features/judges/judges.routes.ts';
import marksRoutes from './features/marks/marks.routes.ts';
import objectiveRoutes from './features/objective/objective.routes.ts';
import elementsRoutes from './features/elements/elements.routes.ts';
import organisationsRoutes from './features/organisations/organisations.routes.ts';
import packageRoutes from './features/package/package.routes.ts';
import standingsRoutes from './features/standings/standings.routes.ts';
import peopleRoutes from './features/people/people.routes.ts';
import prizesRoutes from './features/prizes/prizes.routes.ts';
import publicationRoutes from './features/publication/publication.routes.ts';
import rankingRoutes from './features/ranking/ranking.routes.ts';
import selectionReportRoutes from './features/selections/report.routes.ts';
import selectionsRoutes from './features/selections/selections.routes.ts';
import spreadsheetsRoutes from './features/spreadsheets/spreadsheets.routes.ts';
import studiosPlugin from './features/studios/studios.plugin.ts';
import titlesRoutes from './features/titles/titles.routes.ts';
import accessPlugin from './plugins/access.plugin.ts';
import authPlugin from './plugins/auth.plugin.ts';
import backupPlugin from './plugins/backup.plugin.ts';
import clockPlugin from './plugins/clock.plugin.ts';
import dbPlugin from './plugins/db.plugin.ts';
import errorsPlugin from './plugins/errors.plugin.ts';
import livePlugin, { liveOptions } from './plugins/live.plugin.ts';
import rankingsPlugin from './plugins/rankings.plugin.ts';
import refusalAuditPlugin from './plugins/refusal-audit.plugin.ts';
import swaggerPlugin from './plugins/swagger.plugin.ts';
import webSecurityPlugin from './plugins/web-security.plugin.ts';
import { buildRelay } from './relay-app.ts';

export type BuildOptions = Partial<Config> & {
  /** An already opened database (tests pass an in-memory one). */
  db?: Db;
  logger?: boolean;
  /** Where log lines go (default: standard output); tests read them. */
  logStream?: NodeJS.WritableStream;
  /** Where the app reads the time (default: the system clock); tests fix it. */
  clock?: Clock;
};

/** A URL as the log shows it: the query string replaced by `?…`. */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : `${url.slice(0, query)}?…`;
}

/** Builds the whole app without listening: `main.ts` listens, tests call `inject()`. */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(opts.logStream && { stream: opts.logStream }),
            // A request line carries its path only: a query string may hold a judge's code
            // (`/judge?code=…` on slips printed before codes moved to the fragment) or a search.
            // Headers (the session cookie) are never logged.
            serializers: { req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: loggedUrl(req.url), remoteAddress: req.ip }) },
          },
    bodyLimit: 10 * 1024 * 1024,
    // X-Forwarded-For decides the address sign-in failures count against: believe it only from
    // the proxies the operator names (TRUSTED_PROXIES), or any client could pick a fresh address.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
  }).withTypeProvider<ZodTypeProvider>();
  if (config.usesDemoSecret && config.role === 'primary')
    app.log.warn(
      'SESSION_SECRET is not set: sessions and judge codes are hashed with the built-in demo secret, which is public. Fine for a demo; set SESSION_SECRET (32 characters or more) before real use.',
    );
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // A relay (APP_ROLE=relay) has no database: it serves the public live rankings from Redis and
  // refuses everything else naming the primary (server/relay-app.ts).
  if (config.role === 'relay') return buildRelay(app, config, opts);

  await app.register(errorsPlugin);
  await app.register(webSecurityPlugin);
  await app.register(clockPlugin, { clock: opts.clock });
  await app.register(dbPlugin, { path: config.databasePath, demo: config.demo, secret: config.sessionSecret, db: opts.db });
  await app.register(backupPlugin, { dir: config.backupDir, everyMinutes: config.backupEveryMinutes, keep: config.backupKeep });
  await app.register(authPlugin, {
    secret: config.sessionSecret,
    ttlMs: config.sessionTtlMs,
    idleMs: config.sessionIdleMs,
    loginLimits: { perAccount: config.loginFailuresPerAccount, perAddress: config.loginFailuresPerAddress, accountLockMs: config.accountLockMs },
  });
  // Who may call each /api operation at all (server/access-policy.ts), checked before anything else.
  await app.register(accessPlugin);
  await app.register(refusalAuditPlugin);
  await app.register(livePlugin, liveOptions(config));
  await app.register(rankingsPlugin);
  await app.register(swaggerPlugin);

  await app.register(
    async (api) => {
      await api.register(authRoutes, {
        accountLock: { failures: config.loginFailuresPerAccount, ms: config.accountLockMs },
        publicUrl: config.publicUrl,
      });
      await api.register(organisationsRoutes);
      await api.register(accountsRoutes);
      await api.register(peopleRoutes);
      await api.register(competitionsRoutes);
      await api.register(eventsRoutes);
      await api.register(entriesRoutes);
      await api.register(judgesRoutes);
      await api.register(marksRoutes);
      await api.register(rankingRoutes);
      await api.register(auditRoutes);
      await api.register(chiefRoutes);
      await api.register(certaintyRoutes);
      await api.register(judgingRoutes);
      await api.register(importRoutes);
      await api.register(objectiveRoutes);
      await api.register(elementsRoutes);
      await api.register(dashboardRoutes);
      await api.register(certificatesRoutes);
      await api.register(publicationRoutes);
      await api.register(prizesRoutes);
      await api.register(studiosPlugin);
      await api.register(titlesRoutes);
      await api.register(selectionsRoutes);
      await api.register(selectionReportRoutes);
      await api.register(calendarRoutes);
      await api.register(spreadsheetsRoutes);
      await api.register(packageRoutes);
      await api.register(standingsRoutes);
    },
    { prefix: '/api' },
  );

  // The built web app, when present; unknown non-API paths fall back to index.html (client routing).
  const webRoot = resolve(config.webDist);
  if (existsSync(resolve(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false });
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }

  // For monitoring and the benchmark's memory readings: 200 only while the database answers a read
  // and takes a write (db/health-probe.ts), else 503 saying which failed. `live` says how live
  // updates fare; with Redis lost it says so but the answer stays 200: marks, corrections and
  // release still work, which is what the primary is for (README "Deployment with relays").
  const probeDatabase = databaseProbe(app.db);
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    const database = probeDatabase(app.clock.now());
    const ok = database.read && database.write;
    const m = process.memoryUsage();
    return reply.code(ok ? 200 : 503).send({
      ok,
      database,
      live: app.live.status(),
      uptimeSeconds: Math.round(process.uptime()),
      rssMb: Math.round(m.rss / 1e6),
      heapUsedMb: Math.round(m.heapUsed / 1e6),
    });
  });
  return app;
}
