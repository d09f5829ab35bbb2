import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decimalId, idParams } from '../../contracts/common.ts';
import { AppError, notFound } from '../../errors.ts';
import { writeStreamHead } from '../../plugins/live-transport.ts';
import { liveUnavailable, RedisLiveHub, type StoredSnapshot } from '../../plugins/live-redis.ts';
import { competitionChannel, eventChannel } from './ranking.service.ts';

/**
 * What a relay (APP_ROLE=relay) serves under /api: the public live rankings, as the primary
 * stored them in Redis (server/plugins/live-redis.ts), and their streams. Same paths and answers
 * as the primary's (ranking.routes.ts), so nginx may send these to either. Everything else under
 * /api is refused with 421 `relay_read_only` naming the primary: a relay has no database, so
 * sign-ins, marks, staff pages and published results are the primary's.
 */
export type RelayRoutesOptions = { primary: string };

const roundQuery = z.object({ roundId: decimalId.optional() });

export function relayRefusal(primary: string): AppError {
  return new AppError(
    421,
    'relay_read_only',
    `This server only relays the public live rankings; send this request to the primary server, ${primary}`,
    undefined,
    { primary },
  );
}

const relayRoutes: FastifyPluginAsyncZod<RelayRoutesOptions> = async (app, opts) => {
  const live = app.live;
  if (!(live instanceof RedisLiveHub)) throw new Error('A relay serves live rankings from Redis: set LIVE_URL');
  const hub: RedisLiveHub = live;

  async function snapshotOf(channel: string, what: string): Promise<StoredSnapshot> {
    try {
      return await hub.storedSnapshot(channel);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw notFound(what);
      throw error;
    }
  }

  /** Sends stored JSON as it is: the primary made it with the same contract (server/contracts/ranking.ts). */
  const sendJson = (reply: FastifyReply, json: string) => reply.type('application/json; charset=utf-8').send(json);

  async function stream(req: FastifyRequest, reply: FastifyReply, channel: string, what: string) {
    hub.checkCapacity(); // 503 before the stream opens
    const stored = await snapshotOf(channel, what); // 404 (or 503 live_unavailable) before it opens too
    if (!hub.canStartFrom(channel, stored)) throw liveUnavailable();
    const lastEventId = req.headers['last-event-id'];
    reply.hijack();
    writeStreamHead(reply.raw);
    hub.subscribeStored(channel, reply.raw, typeof lastEventId === 'string' ? lastEventId : undefined, stored);
  }

  app.get('/public/events/:id/ranking', { schema: { hide: true, params: idParams, querystring: roundQuery } }, async (req, reply) => {
    const stored = await snapshotOf(eventChannel(req.params.id), 'Event');
    // The stored ranking is of the current round; another round is the primary's to answer.
    if (req.query.roundId !== undefined && (JSON.parse(stored.json) as { roundId: number }).roundId !== req.query.roundId) throw relayRefusal(opts.primary);
    return sendJson(reply, stored.json);
  });

  app.get('/public/events/:id/live', { schema: { hide: true, params: idParams } }, async (req, reply) =>
    stream(req, reply, eventChannel(req.params.id), 'Event'),
  );

  app.get('/public/competitions/:id/ranking', { schema: { hide: true, params: idParams } }, async (req, reply) =>
    sendJson(reply, (await snapshotOf(competitionChannel(req.params.id), 'Competition')).json),
  );

  app.get('/public/competitions/:id/live', { schema: { hide: true, params: idParams } }, async (req, reply) =>
    stream(req, reply, competitionChannel(req.params.id), 'Competition'),
  );

  app.all('/*', { schema: { hide: true } }, async () => {
    throw relayRefusal(opts.primary);
  });
};

export default relayRoutes;
