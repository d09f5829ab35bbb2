import type { ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { LiveTransport, REPLAY_BUFFER, REPLAY_BYTES, sseFrame, type LiveLimits, type LiveStats, type Subscriber } from './live-transport.ts';
import { RedisLiveHub, type RedisLiveOptions } from './live-redis.ts';

export { DEFAULT_LIVE_LIMITS, type LiveLimits, type LiveStats } from './live-transport.ts';

/** What /health says about live updates. */
export type LiveStatus =
  | { mode: 'memory'; clients: number }
  | {
      mode: 'redis';
      role: 'primary' | 'relay';
      /** Whether this instance reaches Redis (publishing, reading, and on the primary answering relays). */
      connected: boolean;
      /** Since when it has (or has not). */
      since: string;
      /** 'connection to live updates lost' while not connected. */
      message?: string;
      lastError?: string;
      clients: number;
      /** Messages the primary could not hand to Redis (down or too slow): their channels get a fresh snapshot once it takes them again. */
      dropped: number;
    };

/**
 * The pub/sub behind the Server-Sent Events streams. Two implementations share the transport
 * (server/plugins/live-transport.ts: subscribers, writing, backpressure limits, cutting slow clients)
 * and differ in where messages come from and what their ids are:
 * - MemoryLiveHub (default): this process publishes and delivers; ids are `<boot>-<seq>`.
 * - RedisLiveHub (LIVE_URL): the primary publishes into Redis Streams, every instance reads them
 *   back; ids are the streams' own, so Last-Event-ID resumes on any instance and across restarts.
 */
export interface LiveHub {
  readonly mode: 'memory' | 'redis';
  limits: LiveLimits;
  /** Sends `data` as an SSE message of type `type` to everyone on the channel. */
  publish(channel: string, type: string, data: unknown): void;
  /** Throws 503 `live_capacity` when no more streams may open; call before opening one. */
  checkCapacity(): void;
  /**
   * Attaches an open event-stream response to a channel and sends its first messages: the ones
   * missed since `lastEventId` when they can be replayed, else a snapshot made by `snapshot`
   * (called when the snapshot is due, so it holds everything before the id it is labelled with).
   */
  subscribe(channel: string, res: ServerResponse, lastEventId: string | undefined, snapshot: () => unknown): void;
  /** Streams open on the channel in this process. */
  subscriberCount(channel: string): number;
  /** Whether anyone may be following the channel, here or (with Redis) on a relay: worth publishing a snapshot to. */
  hasWatchers(channel: string): boolean;
  /** The primary's source of whole-channel snapshots, which relays serve (unused in memory). */
  provideSnapshots(source: (channel: string) => unknown): void;
  stats(): LiveStats;
  status(): LiveStatus;
  /** Ends every stream (and, with Redis, the connections to it). */
  close(): Promise<void>;
}

type Message = { seq: number; id: string; frame: Buffer };

class Channel {
  readonly subscribers = new Set<Subscriber>();
  readonly buffer: Message[] = [];
  bufferBytes = 0;
  seq = 0;
}

/**
 * In-process pub/sub. Message ids are `<boot>-<seq>`: a client that reconnects with
 * `Last-Event-ID` from this process gets exactly the messages it missed; one whose id is from an
 * earlier process (or too far behind) gets a fresh snapshot instead.
 */
export class MemoryLiveHub extends LiveTransport implements LiveHub {
  readonly mode = 'memory';
  private readonly channels = new Map<string, Channel>();
  private readonly boot = Date.now().toString(36);

  private channel(name: string): Channel {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = new Channel();
      this.channels.set(name, ch);
    }
    return ch;
  }

  publish(name: string, type: string, data: unknown): string {
    const ch = this.channel(name);
    const seq = ++ch.seq;
    const id = `${this.boot}-${seq}`;
    const frame = sseFrame(id, type, JSON.stringify(data));
    ch.buffer.push({ seq, id, frame });
    ch.bufferBytes += frame.length;
    while (ch.buffer.length > REPLAY_BUFFER || (ch.bufferBytes > REPLAY_BYTES && ch.buffer.length > 1))
      ch.bufferBytes -= ch.buffer.shift()!.frame.length;
    this.broadcast(ch.subscribers, frame);
    return id;
  }

  subscribe(name: string, res: ServerResponse, lastEventId: string | undefined, snapshot: () => unknown): void {
    const ch = this.channel(name);
    const sub = this.open(res, ch.subscribers);
    const replay = this.replay(ch, lastEventId);
    this.join(sub, replay ?? [sseFrame(this.currentId(name), 'snapshot', JSON.stringify(snapshot()))]);
  }

  /** The frames after `lastEventId`, or null when they are not all buffered or too many to be worth replaying. */
  private replay(ch: Channel, lastEventId: string | undefined): Buffer[] | null {
    if (!lastEventId) return null;
    const [boot, seqText] = lastEventId.split('-');
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > ch.seq) return null;
    const oldest = ch.buffer[0]?.seq ?? ch.seq + 1;
    if (seq < oldest - 1) return null;
    const frames = ch.buffer.filter((m) => m.seq > seq).map((m) => m.frame);
    // A client this far behind (typically one cut off for not reading) would be backed up again
    // at once: a snapshot is the shorter way to catch up.
    const bytes = frames.reduce((sum, f) => sum + f.length, 0);
    return bytes > this.limits.maxBacklogBytes ? null : frames;
  }

  /** The id of the channel's latest message, used to label a snapshot. */
  currentId(name: string): string {
    return `${this.boot}-${this.channel(name).seq}`;
  }

  subscriberCount(name: string): number {
    return this.channels.get(name)?.subscribers.size ?? 0;
  }

  hasWatchers(name: string): boolean {
    return this.subscriberCount(name) > 0;
  }

  provideSnapshots(): void {}

  status(): LiveStatus {
    return { mode: 'memory', clients: this.stats().clients };
  }

  async close(): Promise<void> {
    this.closeStreams();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

export type LivePluginOptions = {
  limits?: Partial<LiveLimits>;
  /** Live updates through Redis Streams (LIVE_URL); absent: in this process. */
  redis?: Omit<RedisLiveOptions, 'log' | 'now'>;
};

/** The hub's settings from the configuration: in this process, or Redis Streams when LIVE_URL is set. */
export function liveOptions(config: Config): LivePluginOptions {
  return {
    limits: { maxClients: config.liveMaxClients },
    ...(config.liveUrl && {
      redis: {
        url: config.liveUrl,
        role: config.role,
        keyPrefix: config.liveKeyPrefix,
        streamMaxLen: config.liveStreamMaxLen,
        streamMaxAgeMs: config.liveStreamMaxAgeMs,
      },
    }),
  };
}

export default fp<LivePluginOptions>(
  async (app, opts) => {
    const hub: LiveHub = opts.redis
      ? new RedisLiveHub({ ...opts.redis, log: app.log, now: () => app.clock.now() }, opts.limits)
      : new MemoryLiveHub(opts.limits);
    app.decorate('live', hub);
    // preClose, not onClose: open streams would otherwise keep the server from closing.
    app.addHook('preClose', async () => hub.close());
  },
  { name: 'live', dependencies: ['clock'] },
);
