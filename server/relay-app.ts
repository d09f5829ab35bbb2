import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { BuildOptions } from './app.ts';
import type { Config } from './config.ts';
import relayRoutes from './features/ranking/relay.routes.ts';
import clockPlugin from './plugins/clock.plugin.ts';
import errorsPlugin from './plugins/errors.plugin.ts';
import livePlugin, { liveOptions } from './plugins/live.plugin.ts';
import webSecurityPlugin from './plugins/web-security.plugin.ts';

/**
 * A relay (APP_ROLE=relay): the same build without a database, sessions or the feature routes.
 * It serves the web app's files (the public pages), the public live rankings and their streams
 * from Redis (server/features/ranking/relay.routes.ts), and refuses every other /api request with
 * 421 `relay_read_only` naming PRIMARY_URL. Any number of relays may run beside one primary.
 */
export async function buildRelay(app: FastifyInstance, config: Config, opts: Pick<BuildOptions, 'clock'> = {}): Promise<FastifyInstance> {
  const primary = config.primaryUrl;
  if (!config.liveUrl || !primary) throw new Error('A relay needs LIVE_URL and PRIMARY_URL');
  await app.register(errorsPlugin);
  await app.register(webSecurityPlugin);
  await app.register(clockPlugin, { clock: opts.clock });
  await app.register(livePlugin, liveOptions(config));
  await app.register(relayRoutes, { prefix: '/api', primary });

  const webRoot = resolve(config.webDist);
  if (existsSync(resolve(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false });
    app.get('/*', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html'));
  }

  // 200 while Redis is reachable; 503 otherwise (the streams it holds stay open on the last
  // ranking, but it learns nothing new): a relay is only as good as its live updates.
  app.get('/health', { schema: { hide: true } }, async (_req, reply) => {
    const live = app.live.status();
    const ok = live.mode === 'redis' && live.connected;
    const m = process.memoryUsage();
    return reply.code(ok ? 200 : 503).send({
      ok,
      role: 'relay',
      primary,
      live,
      uptimeSeconds: Math.round(process.uptime()),
      rssMb: Math.round(m.rss / 1e6),
      heapUsedMb: Math.round(m.heapUsed / 1e6),
    });
  });
  return app;
}
