import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import { AppError } from '../errors.ts';
import { LiveTransport, REPLAY_BUFFER, REPLAY_BYTES, sseFrame, type LiveLimits, type Subscriber } from './live-transport.ts';
import type { LiveHub, LiveStatus } from './live.plugin.ts';

/**
 * Live updates through Redis Streams, for a primary and any number of relays
 * (README "Deployment with relays").
 *
 * Keys, per channel (`event:7`, `competition:3`; the braces keep a channel's keys in one slot):
 * - `<prefix>{<channel>}:stream`: the messages, fields `n` (the channel's sequence number, to see
 *   a gap), `t` (SSE event type), `d` (JSON), `f` ('1': a whole-channel snapshot). Trimmed on every
 *   publish by length (MAXLEN ~) and by age (MINID ~, from Redis's own clock).
 * - `<prefix>{<channel>}:seq`: the last sequence number given out.
 * - `<prefix>{<channel>}:snapshot`: a hash, the channel's whole state as of the stream id `id`
 *   (sequence `n`) as JSON in `d`, written by the primary at most SNAPSHOT_EVERY_MS after a change;
 *   or `missing` = 1 for a channel the primary does not know (relays answer 404), briefly.
 * All three expire KEY_IDLE_TTL_MS after the channel's last message. Relays ask the primary for a
 * snapshot it has not stored, or a fresh one after a gap, on the pub/sub channel `<prefix>requests`.
 *
 * Every instance, the primary too, reads the streams of the channels its clients follow with
 * XREAD (bounded COUNT, one blocking connection) and hands each message to the shared transport
 * (server/plugins/live-transport.ts), which bounds what each client may hold. Message ids are the
 * stream ids, so a client's Last-Event-ID means the same on every instance and across restarts.
 *
 * Nothing queues without bound in this process when Redis is slow or gone: commands are refused
 * while disconnected (no offline queue), at most MAX_IN_FLIGHT publishes wait for an answer and
 * the rest are dropped and counted; once Redis takes them again the primary publishes a fresh
 * snapshot on each channel that lost messages. Readers keep their clients' streams open (their
 * screens keep the last ranking) and continue XREAD from the last id they saw.
 */

export type RedisLiveOptions = {
  /** redis://host:port/db (or rediss://) */
  url: string;
  role: 'primary' | 'relay';
  /** Prefix of every key, so several deployments can share one Redis database. */
  keyPrefix: string;
  /** Messages kept per channel (approximately: Redis trims whole nodes). */
  streamMaxLen: number;
  /** Messages older than this are trimmed too. */
  streamMaxAgeMs: number;
  log: FastifyBaseLogger;
  /** For /health's `since`. */
  now: () => Date;
};

/** Entries per stream per XREAD: what one read may bring into this process at once. */
const READ_COUNT = 200;
/** How long one XREAD waits for something new (it is cut short when a channel is followed). */
const READ_BLOCK_MS = 2000;
/** Publishes waiting for Redis's answer; past either bound further ones are dropped (and counted). */
const MAX_IN_FLIGHT = 1000;
const MAX_IN_FLIGHT_BYTES = 16 * 1024 * 1024;
/**
 * A channel's stored snapshot follows its changes after at most this long: what a relay's new
 * client replays on top of it stays short, while a competition's (every event's ranking) is made
 * at most twice a second however fast marks come.
 */
const SNAPSHOT_EVERY_MS = 500;
/** A relay reuses a snapshot it fetched for this long before asking Redis again (a full venue reconnecting at once costs one fetch). */
const SNAPSHOT_CACHE_MS = 1000;
/** Snapshots a relay keeps in memory at most (one per channel). */
const SNAPSHOT_CACHE_MAX = 1000;
/** How long a relay waits for the primary to store a snapshot it asked for. */
const SNAPSHOT_WAIT_MS = 3000;
const SNAPSHOT_POLL_MS = 50;
/** A "no such channel" answer is kept this long: an event created meanwhile is found soon after. */
const MISSING_TTL_MS = 10_000;
/** A channel's keys go this long after its last message: a finished competition does not stay in Redis. */
const KEY_IDLE_TTL_MS = 7 * 24 * 3600_000;
/** A channel nobody here follows any more is read this much longer, so clients reconnecting after a blip resume from memory. */
const FOLLOW_IDLE_MS = 60_000;
/** Messages a resume may replay from Redis; more is a snapshot's job. */
const MAX_REPLAY = 1000;
/** Pause after a failed read, and between resync attempts while Redis is busy. */
const RETRY_MS = 500;
/** Between checks that Redis still answers (a hung server keeps its connection open). */
const PING_EVERY_MS = 5000;
/** At start the primary compares at most this many stored snapshots with the database. */
const RECONCILE_MAX = 500;

const LOST = 'connection to live updates lost';

/** Lua: the channel's sequence number, the entry, trimming by length and by age (Redis's clock), the keys' expiry. */
const PUBLISH_LUA = `
local n = redis.call('INCR', KEYS[2])
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n, 't', ARGV[4], 'd', ARGV[5], 'f', ARGV[6])
local now = redis.call('TIME')
local oldest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[2])
if oldest > 0 then redis.call('XTRIM', KEYS[1], 'MINID', '~', oldest) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return id`;

/** Lua fragment: the stream's last id and sequence number, or 0-0 and the counter when it holds nothing. */
const TAIL_LUA = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local id, n = '0-0', redis.call('GET', KEYS[2]) or '0'
if last[1] then
  id = last[1][1]
  local f = last[1][2]
  for i = 1, #f, 2 do if f[i] == 'n' then n = f[i + 1] end end
end`;

/** Lua: stores a snapshot labelled with the id it reflects (every XADD sent before it on this connection). */
const STORE_SNAPSHOT_LUA = `${TAIL_LUA}
local now = redis.call('TIME')
local at = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('DEL', KEYS[3])
if ARGV[1] == '' then
  redis.call('HSET', KEYS[3], 'missing', '1', 'at', at)
else
  redis.call('HSET', KEYS[3], 'id', id, 'n', n, 'd', ARGV[1], 'at', at)
end
redis.call('PEXPIRE', KEYS[3], ARGV[2])
return id`;

const TAIL_ONLY_LUA = `${TAIL_LUA}
return {id, n}`;

type LiveCommands = {
  livePublish(stream: string, seq: string, snapshot: string, maxLen: number, maxAgeMs: number, ttlMs: number, type: string, json: string, full: string): Promise<string>;
  liveStoreSnapshot(stream: string, seq: string, snapshot: string, json: string, ttlMs: number): Promise<string>;
  liveTail(stream: string, seq: string): Promise<[string, string]>;
};

type Entry = [id: string, fields: string[]];

/** A snapshot a relay serves: the channel's state as of stream id `id` (sequence `n`). */
export type StoredSnapshot = { id: string; n: number; json: string; frame: Buffer; fetchedAt: number };
type CachedSnapshot = StoredSnapshot | { missing: true; fetchedAt: number };

const STREAM_ID = /^(\d{1,16})-(\d{1,16})$/;

/** Orders two stream ids (`<ms>-<seq>`). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-');
  const [bm, bs] = b.split('-');
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

function fieldsOf(fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]!] = fields[i + 1]!;
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isNotFound = (error: unknown) => error instanceof AppError && error.status === 404;

export const liveUnavailable = () =>
  new AppError(503, 'live_unavailable', 'Live updates are not available on this server just now; try again shortly', undefined, { retryAfterSeconds: 5 });

class RedisChannel {
  readonly subscribers = new Set<Subscriber>();
  /** Clients whose first messages are still being fetched. */
  pending = 0;
  /** Read with XREAD. */
  following = false;
  /** The last id delivered here (XREAD continues after it); null: not known yet (Redis was down when following began). */
  cursor: string | null = null;
  /** The sequence number of `cursor`'s message; null: unknown, the next one is taken as it comes. */
  lastSeq: number | null = null;
  /** Recent messages, each after the one before: everything after `bufferStart` up to `cursor`. */
  buffer: { id: string; frame: Buffer }[] = [];
  bufferBytes = 0;
  bufferStart: string | null = null;
  idleSince: number | null = null;

  constructor(
    readonly name: string,
    readonly stream: string,
    readonly seq: string,
    readonly snapshot: string,
  ) {}

  startFollowing(cursor: string, seq: number | null): void {
    this.following = true;
    this.setCursor(cursor, seq);
  }

  setCursor(cursor: string, seq: number | null): void {
    this.cursor = cursor;
    this.lastSeq = seq;
    this.buffer = [];
    this.bufferBytes = 0;
    this.bufferStart = cursor;
  }

  remember(id: string, frame: Buffer): void {
    this.buffer.push({ id, frame });
    this.bufferBytes += frame.length;
    while (this.buffer.length > REPLAY_BUFFER || (this.bufferBytes > REPLAY_BYTES && this.buffer.length > 1)) {
      const dropped = this.buffer.shift()!;
      this.bufferBytes -= dropped.frame.length;
      this.bufferStart = dropped.id;
    }
  }

  /** The frames after `id` up to `cursor`, or null when the buffer does not reach back to it. */
  framesAfter(id: string): Buffer[] | null {
    if (id === this.cursor) return [];
    if (id === this.bufferStart) return this.buffer.map((m) => m.frame);
    for (let i = this.buffer.length - 1; i >= 0; i--) if (this.buffer[i]!.id === id) return this.buffer.slice(i + 1).map((m) => m.frame);
    return null;
  }
}

export class RedisLiveHub extends LiveTransport implements LiveHub {
  readonly mode = 'redis';
  private readonly cmd: Redis;
  private readonly commands: LiveCommands;
  private readonly reader: Redis;
  /** The primary's connection listening for relays' requests. */
  private readonly requests: Redis | null;
  private readonly requestsChannel: string;
  private readonly channels = new Map<string, RedisChannel>();
  private readonly byStream = new Map<string, RedisChannel>();
  private source: ((channel: string) => unknown) | null = null;
  /** Channels a relay may follow: published or stored here (primary), worth a snapshot after a non-mark change. */
  private readonly known = new Set<string>();

  private closing = false;
  private readerId: number | null = null;
  private reading = false;
  /** XREADs issued so far (a retried unblock must not cut a later one short). */
  private reads = 0;
  /** Something changed (a channel followed) since the loop last looked. */
  private wakePending = false;
  private wakeUp: (() => void) | null = null;
  private readonly loop: Promise<void>;

  private inFlight = 0;
  private inFlightBytes = 0;
  private dropped = 0;
  private readonly droppedChannels = new Set<string>();
  private readonly resyncChannels = new Set<string>();
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly dirtySnapshots = new Set<string>();
  private snapshotTimer: NodeJS.Timeout | undefined;
  private readonly storing = new Set<Promise<void>>();
  private reconciled = false;
  /** Relay: when each channel's last resync was asked for. */
  private readonly resyncAsked = new Map<string, number>();

  private readonly snapshotCache = new Map<string, CachedSnapshot>();
  private readonly snapshotFetches = new Map<string, Promise<CachedSnapshot>>();

  private connected = false;
  private since: Date;
  private lastError: string | undefined;
  private pingFailing = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly options: RedisLiveOptions,
    limits: Partial<LiveLimits> = {},
  ) {
    super(limits);
    this.since = options.now();
    this.requestsChannel = `${options.keyPrefix}requests`;
    const base: RedisOptions = {
      protocol: 2,
      // Refused at once while disconnected, never queued: the caller decides (drop and count, serve the last snapshot).
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    };
    this.cmd = new Redis(options.url, { ...base, commandTimeout: 5000, connectionName: `skills-${options.role}-commands` });
    this.cmd.defineCommand('livePublish', { numberOfKeys: 3, lua: PUBLISH_LUA });
    this.cmd.defineCommand('liveStoreSnapshot', { numberOfKeys: 3, lua: STORE_SNAPSHOT_LUA });
    this.cmd.defineCommand('liveTail', { numberOfKeys: 2, lua: TAIL_ONLY_LUA });
    this.commands = this.cmd as unknown as LiveCommands;
    this.reader = new Redis(options.url, { ...base, connectionName: `skills-${options.role}-reader` });
    // Subscribed afresh on every connection (below), so a primary started while Redis was away listens once it is back.
    this.requests = options.role === 'primary' ? new Redis(options.url, { ...base, autoResubscribe: false, connectionName: 'skills-primary-requests' }) : null;

    // A new connection answers: whatever an earlier PING said no longer holds.
    this.cmd.on('ready', () => {
      this.pingFailing = false;
    });
    for (const conn of [this.cmd, this.reader, this.requests]) {
      if (!conn) continue;
      conn.on('error', (error: unknown) => {
        this.lastError = messageOf(error);
      });
      conn.on('ready', () => this.updateConnected());
      conn.on('close', () => this.updateConnected());
      conn.on('end', () => this.updateConnected());
    }
    this.cmd.on('ready', () => void this.onReady());
    this.reader.on('close', () => {
      this.readerId = null;
    });
    const requests = this.requests;
    if (requests) {
      requests.on('ready', () => void requests.subscribe(this.requestsChannel).catch((error: unknown) => (this.lastError = messageOf(error))));
      requests.on('message', (_channel: string, message: string) => this.onRequest(message));
    }
    this.timers.push(setInterval(() => void this.ping(), PING_EVERY_MS), setInterval(() => this.sweep(), 10_000));
    for (const t of this.timers) t.unref();
    this.loop = this.readLoop();
  }

  // ---- Connection state ----

  private isConnected(): boolean {
    return (
      !this.pingFailing &&
      this.cmd.status === 'ready' &&
      this.reader.status === 'ready' &&
      (this.requests === null || this.requests.status === 'ready')
    );
  }

  private updateConnected(): void {
    const now = this.isConnected();
    if (now === this.connected) return;
    this.connected = now;
    this.since = this.options.now();
    if (this.closing) return;
    if (now) this.options.log.info('live updates: connected to Redis');
    else this.options.log.warn({ error: this.lastError }, `live updates: ${LOST}`);
  }

  private async ping(): Promise<void> {
    if (this.cmd.status !== 'ready') return;
    try {
      await this.cmd.ping();
      this.pingFailing = false;
    } catch (error) {
      this.lastError = messageOf(error);
      this.pingFailing = true;
    }
    this.updateConnected();
  }

  private async onReady(): Promise<void> {
    // Channels followed while Redis was away start from the stream's end, resolved before any
    // snapshot below is published on this same connection, so none of those is missed.
    const unresolved = [...this.channels.values()].filter((ch) => ch.following && ch.cursor === null);
    await Promise.all(unresolved.map((ch) => this.resolveCursor(ch)));
    this.wake();
    if (this.options.role !== 'primary') return;
    if (!this.reconciled && this.source) {
      this.reconciled = true;
      await this.reconcile().catch((error: unknown) => this.options.log.warn({ error: messageOf(error) }, 'live updates: could not compare stored snapshots'));
    }
    this.resync();
    this.storeSnapshots();
  }

  status(): LiveStatus {
    const connected = this.isConnected();
    return {
      mode: 'redis',
      role: this.options.role,
      connected,
      since: this.since.toISOString(),
      ...(connected ? {} : { message: LOST, ...(this.lastError ? { lastError: this.lastError } : {}) }),
      clients: this.stats().clients,
      dropped: this.dropped,
    };
  }

  // ---- Channels ----

  private channel(name: string): RedisChannel {
    let ch = this.channels.get(name);
    if (!ch) {
      const key = (suffix: string) => `${this.options.keyPrefix}{${name}}:${suffix}`;
      ch = new RedisChannel(name, key('stream'), key('seq'), key('snapshot'));
      this.channels.set(name, ch);
      this.byStream.set(ch.stream, ch);
    }
    return ch;
  }

  subscriberCount(name: string): number {
    return this.channels.get(name)?.subscribers.size ?? 0;
  }

  hasWatchers(name: string): boolean {
    return this.subscriberCount(name) > 0 || this.known.has(name);
  }

  provideSnapshots(source: (channel: string) => unknown): void {
    this.source = source;
    if (this.cmd.status === 'ready') void this.onReady(); // connected before the source was there: compare and resync now
  }

  /** Forgets channels nobody has followed here for FOLLOW_IDLE_MS. */
  private sweep(): void {
    const now = Date.now();
    for (const ch of this.channels.values()) {
      if (ch.subscribers.size > 0 || ch.pending > 0) ch.idleSince = null;
      else if (ch.idleSince === null) ch.idleSince = now;
      else if (now - ch.idleSince > FOLLOW_IDLE_MS) {
        this.channels.delete(ch.name);
        this.byStream.delete(ch.stream);
      }
    }
  }

  // ---- Publishing (primary) ----

  publish(channel: string, type: string, data: unknown): void {
    if (this.options.role !== 'primary') throw new Error('A relay does not publish live updates');
    if (this.closing && this.cmd.status !== 'ready') return;
    this.known.add(channel);
    this.append(channel, type, JSON.stringify(data), false);
    this.markSnapshotDirty(channel);
  }

  private room(bytes: number): boolean {
    return this.cmd.status === 'ready' && this.inFlight < MAX_IN_FLIGHT && this.inFlightBytes + bytes <= MAX_IN_FLIGHT_BYTES;
  }

  /** Hands a message to Redis, or drops it (counted) when Redis is away or behind. */
  private append(channel: string, type: string, json: string, full: boolean): void {
    const bytes = json.length;
    if (!this.room(bytes)) return this.drop(channel);
    const ch = this.channel(channel);
    this.inFlight++;
    this.inFlightBytes += bytes;
    this.commands
      .livePublish(ch.stream, ch.seq, ch.snapshot, this.options.streamMaxLen, this.options.streamMaxAgeMs, KEY_IDLE_TTL_MS, type, json, full ? '1' : '0')
      .catch((error: unknown) => {
        this.lastError = messageOf(error);
        this.drop(channel);
      })
      .finally(() => {
        this.inFlight--;
        this.inFlightBytes -= bytes;
      });
  }

  private drop(channel: string): void {
    this.dropped++;
    this.droppedChannels.add(channel);
    this.scheduleResync();
  }

  private scheduleResync(): void {
    if (this.resyncTimer || this.closing) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.resync();
    }, RETRY_MS);
    this.resyncTimer.unref();
  }

  /** Publishes a whole-channel snapshot on every channel that lost messages or that a relay found a gap in. */
  private resync(): void {
    if (this.cmd.status !== 'ready') return; // onReady calls again
    if (this.inFlight > MAX_IN_FLIGHT / 2) return this.scheduleResync();
    const channels = new Set([...this.droppedChannels, ...this.resyncChannels]);
    this.droppedChannels.clear();
    this.resyncChannels.clear();
    for (const channel of channels) this.publishWhole(channel);
  }

  private publishWhole(channel: string): void {
    if (!this.source) return;
    let json: string;
    try {
      json = JSON.stringify(this.source(channel));
    } catch (error) {
      if (isNotFound(error)) this.markSnapshotDirty(channel);
      else this.options.log.error({ err: error, channel }, 'live updates: snapshot failed');
      return;
    }
    this.append(channel, 'snapshot', json, true);
    this.markSnapshotDirty(channel);
  }

  private markSnapshotDirty(channel: string): void {
    this.dirtySnapshots.add(channel);
    if (this.snapshotTimer || this.closing) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      this.storeSnapshots();
    }, SNAPSHOT_EVERY_MS);
    this.snapshotTimer.unref();
  }

  private storeSnapshots(): void {
    for (const channel of this.dirtySnapshots) {
      if (!this.room(0)) return; // kept dirty: onReady or the next change stores it
      this.dirtySnapshots.delete(channel);
      void this.storeSnapshot(channel);
    }
  }

  /** Stores the channel's whole state beside its stream (or that it does not exist), for relays. */
  private storeSnapshot(channel: string): Promise<void> {
    if (!this.source) return Promise.resolve();
    let json = '';
    try {
      json = JSON.stringify(this.source(channel));
    } catch (error) {
      if (!isNotFound(error)) {
        this.options.log.error({ err: error, channel }, 'live updates: snapshot failed');
        return Promise.resolve();
      }
    }
    const ch = this.channel(channel);
    if (json) this.known.add(channel);
    this.inFlight++;
    this.inFlightBytes += json.length;
    const done = this.commands
      .liveStoreSnapshot(ch.stream, ch.seq, ch.snapshot, json, json ? KEY_IDLE_TTL_MS : MISSING_TTL_MS)
      .then(
        () => {},
        (error: unknown) => {
          this.lastError = messageOf(error);
          this.dirtySnapshots.add(channel); // stored again once Redis answers
        },
      )
      .finally(() => {
        this.inFlight--;
        this.inFlightBytes -= json.length;
        this.storing.delete(done);
      });
    this.storing.add(done);
    return done;
  }

  /** A relay's request: `snapshot <channel>` (store one) or `resync <channel>` (publish one: it saw a gap). */
  private onRequest(message: string): void {
    const m = /^(snapshot|resync) ([a-z0-9_:-]{1,100})$/.exec(message);
    if (!m || this.closing) return;
    const channel = m[2]!;
    if (m[1] === 'snapshot') {
      this.dirtySnapshots.delete(channel);
      void this.storeSnapshot(channel);
    } else {
      this.resyncChannels.add(channel);
      this.scheduleResync();
    }
  }

  /**
   * At start: channels whose stored snapshot differs from the database (marks committed but not
   * yet broadcast when the last primary stopped) get a fresh one, so relays' clients see them.
   * Equal ones (revision numbers aside, which restart) are left alone, so a client resuming
   * across the restart gets exactly what it missed.
   */
  private async reconcile(): Promise<void> {
    const pattern = `${this.options.keyPrefix}{*}:snapshot`;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = (await this.cmd.scan(cursor, 'MATCH', pattern, 'COUNT', 200)) as [string, string[]];
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0' && keys.length < RECONCILE_MAX);
    const withoutRevision = (value: unknown) => JSON.stringify(value, (k, v: unknown) => (k === 'revision' ? undefined : v));
    const [seconds] = (await this.cmd.time()) as unknown as [string, string];
    for (const key of keys.slice(0, RECONCILE_MAX)) {
      const channel = key.slice(key.indexOf('{') + 1, key.lastIndexOf('}'));
      const [json, at] = await this.cmd.hmget(key, 'd', 'at');
      if (!json) continue;
      // Relays may follow it: a mark on it is worth a snapshot even before anyone here asks (RankingService.marksCommitted).
      this.known.add(channel);
      if (Number(at) < Number(seconds) * 1000 - this.options.streamMaxAgeMs) continue; // compared only when recent: comparing loads the event, and this may be every event watched this week
      let fresh: unknown;
      try {
        fresh = this.source!(channel);
      } catch {
        continue;
      }
      if (withoutRevision(JSON.parse(json)) !== withoutRevision(fresh)) this.publishWhole(channel);
    }
  }

  // ---- Reading ----

  /** Makes the read loop pick up a newly followed channel now rather than after its current XREAD. */
  private wake(retry = true): void {
    this.wakePending = true;
    if (this.wakeUp) {
      this.wakeUp();
      this.wakeUp = null;
    } else if (this.reading && this.readerId !== null && this.cmd.status === 'ready') {
      const reads = this.reads;
      void this.cmd.call('CLIENT', 'UNBLOCK', String(this.readerId)).then(
        // 0: the XREAD had not reached Redis yet; once more, shortly.
        (unblocked) => unblocked === 0 && retry && setTimeout(() => this.reads === reads && this.reading && this.wake(false), 5).unref(),
        () => {},
      );
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.wakePending) return Promise.resolve(); // woken while it was busy
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      timer.unref();
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async readLoop(): Promise<void> {
    while (!this.closing) {
      this.wakePending = false;
      const followed = [...this.channels.values()].filter((ch) => ch.following && ch.cursor !== null);
      if (this.reader.status !== 'ready' || followed.length === 0) {
        await this.idle(this.reader.status === 'ready' ? READ_BLOCK_MS : RETRY_MS);
        continue;
      }
      let reply: [string, Entry[]][] | null;
      try {
        if (this.readerId === null) {
          this.readerId = (await this.reader.call('CLIENT', 'ID')) as number;
          continue; // channels may have been followed meanwhile
        }
        this.reading = true;
        this.reads++;
        reply = (await this.reader.call(
          'XREAD',
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          ...followed.map((ch) => ch.stream),
          ...followed.map((ch) => ch.cursor!),
        )) as [string, Entry[]][] | null;
      } catch (error) {
        this.reading = false;
        if (this.closing) break;
        this.lastError = messageOf(error);
        await sleep(RETRY_MS);
        continue;
      }
      this.reading = false;
      for (const [stream, entries] of reply ?? []) {
        const ch = this.byStream.get(stream);
        if (ch?.following && ch.cursor !== null) this.deliver(ch, entries);
      }
    }
  }

  private deliver(ch: RedisChannel, entries: Entry[]): void {
    for (const [id, raw] of entries) {
      if (ch.cursor !== null && compareIds(id, ch.cursor) <= 0) continue;
      const f = fieldsOf(raw);
      const n = Number(f.n);
      // A message lost between two we have (trimmed before we read it, or Redis restarted
      // empty): the channel needs a whole snapshot, unless this is one.
      if (ch.lastSeq !== null && n !== ch.lastSeq + 1 && f.f !== '1') this.onGap(ch);
      ch.lastSeq = n;
      ch.cursor = id;
      const frame = sseFrame(id, f.t ?? 'message', f.d ?? 'null');
      ch.remember(id, frame);
      this.broadcast(ch.subscribers, frame, id, compareIds);
    }
  }

  private onGap(ch: RedisChannel): void {
    this.options.log.warn({ channel: ch.name }, 'live updates: messages missing from the stream; asking for a snapshot');
    if (this.options.role === 'primary') {
      this.resyncChannels.add(ch.name);
      this.scheduleResync();
      return;
    }
    const last = this.resyncAsked.get(ch.name) ?? 0;
    if (Date.now() - last < SNAPSHOT_WAIT_MS || this.cmd.status !== 'ready') return;
    this.resyncAsked.set(ch.name, Date.now());
    void this.cmd.publish(this.requestsChannel, `resync ${ch.name}`).catch(() => {});
  }

  private async resolveCursor(ch: RedisChannel): Promise<void> {
    try {
      const [id, n] = await this.commands.liveTail(ch.stream, ch.seq);
      if (ch.following && ch.cursor === null) ch.setCursor(id, Number(n));
    } catch (error) {
      this.lastError = messageOf(error);
    }
  }

  /** Follows the channel from the stream's end (left unresolved while Redis is away: onReady resolves it). */
  private async follow(ch: RedisChannel): Promise<void> {
    if (ch.following && ch.cursor !== null) return;
    if (!ch.following) {
      ch.following = true;
      ch.cursor = null;
    }
    if (this.cmd.status === 'ready') await this.resolveCursor(ch);
    this.wake();
  }

  /**
   * The messages after `after` (whose sequence number is `afterSeq` when known), or null when
   * they are no longer all in the stream (trimmed) or `after` was never in it.
   */
  private async rangeAfter(ch: RedisChannel, after: string, afterSeq: number | null, max: number) {
    const result = await this.cmd
      .multi()
      .xrange(ch.stream, after, after)
      .xrange(ch.stream, `(${after}`, '+', 'COUNT', max)
      .exec();
    if (!result || result.some(([error]) => error)) throw new Error('XRANGE failed');
    const [at, entries] = result.map(([, value]) => value as Entry[]) as [Entry[], Entry[]];
    const seqAt = at[0] ? Number(fieldsOf(at[0][1]).n) : afterSeq;
    if (seqAt === null) return null;
    const firstSeq = entries[0] ? Number(fieldsOf(entries[0][1]).n) : null;
    if (firstSeq !== null && firstSeq !== seqAt + 1) return null;
    const messages = entries.map(([id, raw]) => {
      const f = fieldsOf(raw);
      return { id, frame: sseFrame(id, f.t ?? 'message', f.d ?? 'null') };
    });
    const last = entries.at(-1);
    return {
      messages,
      frames: messages.map((m) => m.frame),
      count: entries.length,
      last: last?.[0] ?? after,
      lastSeq: last ? Number(fieldsOf(last[1]).n) : seqAt,
    };
  }

  /**
   * Extends a followed channel's buffer back to a stored snapshot's id (fetched from Redis), so
   * the relay can still start new clients from that snapshot while Redis is away. Relays start
   * following where their first client needed it, which may be after the snapshot they hold.
   */
  private async bridge(ch: RedisChannel, snapshot: StoredSnapshot): Promise<void> {
    const start = ch.bufferStart;
    if (!ch.following || ch.cursor === null || start === null || compareIds(snapshot.id, start) >= 0) return;
    if (this.cmd.status !== 'ready') return;
    const more = await this.rangeAfter(ch, snapshot.id, snapshot.n, MAX_REPLAY);
    if (!more || ch.bufferStart !== start) return; // trimmed in Redis, or the channel moved on meanwhile
    const gap = more.messages.filter((m) => compareIds(m.id, start) <= 0);
    if (gap.at(-1)?.id !== start) return;
    const bytes = this.bytes(gap.map((m) => m.frame));
    if (ch.buffer.length + gap.length > REPLAY_BUFFER || ch.bufferBytes + bytes > REPLAY_BYTES) return;
    ch.buffer = [...gap, ...ch.buffer];
    ch.bufferBytes += bytes;
    ch.bufferStart = snapshot.id;
  }

  private bridgeCached(ch: RedisChannel): void {
    const cached = this.snapshotCache.get(ch.name);
    if (cached && !('missing' in cached)) void this.bridge(ch, cached).catch(() => {});
  }

  // ---- Subscribing ----

  subscribe(channel: string, res: ServerResponse, lastEventId: string | undefined, snapshot: () => unknown): void {
    this.start(channel, res, lastEventId, { local: snapshot });
  }

  /**
   * Whether a stream can start from `stored` now: always while Redis answers; while it is away,
   * only if this relay holds every message after the snapshot (else the client would miss some).
   */
  canStartFrom(channel: string, stored: StoredSnapshot): boolean {
    if (this.cmd.status === 'ready') return true;
    const ch = this.channels.get(channel);
    if (!ch?.following || ch.cursor === null) return true; // followed from the snapshot on, once Redis is back
    return compareIds(stored.id, ch.cursor) >= 0 || ch.framesAfter(stored.id) !== null;
  }

  /** A relay's stream: its snapshot is the one the primary stored (`storedSnapshot`). */
  subscribeStored(channel: string, res: ServerResponse, lastEventId: string | undefined, stored: StoredSnapshot): void {
    this.start(channel, res, lastEventId, { stored });
  }

  private start(channel: string, res: ServerResponse, lastEventId: string | undefined, first: { local: () => unknown } | { stored: StoredSnapshot }): void {
    const ch = this.channel(channel);
    const sub = this.open(res, ch.subscribers);
    ch.pending++;
    this.begin(sub, ch, lastEventId, first)
      .catch((error: unknown) => {
        this.lastError = messageOf(error);
        this.abandon(sub);
      })
      .finally(() => ch.pending--);
  }

  private async begin(sub: Subscriber, ch: RedisChannel, lastEventId: string | undefined, first: { local: () => unknown } | { stored: StoredSnapshot }): Promise<void> {
    if (lastEventId && STREAM_ID.test(lastEventId)) {
      const resumed = await this.resume(ch, lastEventId);
      if (resumed && (await this.join2(sub, ch, resumed.frames, resumed.upTo, resumed.seq))) return;
    }
    if ('local' in first) {
      await this.follow(ch);
      // Made now, after the id it is labelled with is known, so it holds every message up to it;
      // messages after it may be in it too (published but not read back yet): applied again, they change nothing.
      const label = ch.cursor ?? '0-0';
      this.join(sub, [sseFrame(label, 'snapshot', JSON.stringify(first.local()))]);
      return;
    }
    let stored = first.stored;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.join2(sub, ch, [stored.frame], stored.id, stored.n)) return;
      // The stream no longer reaches back to the snapshot: a fresher one will.
      const fresh = await this.storedSnapshot(ch.name, { fresh: true });
      stored = fresh;
    }
    this.abandon(sub);
  }

  /** What a client that saw `lastEventId` missed, from memory or from Redis; null: a snapshot is due. */
  private async resume(ch: RedisChannel, lastEventId: string): Promise<{ frames: Buffer[]; upTo: string; seq: number | null } | null> {
    if (ch.following && ch.cursor !== null) {
      const local = ch.framesAfter(lastEventId);
      if (local) return this.bytes(local) > this.limits.maxBacklogBytes ? null : { frames: local, upTo: ch.cursor, seq: ch.lastSeq };
    }
    if (this.cmd.status !== 'ready') return null;
    const more = await this.rangeAfter(ch, lastEventId, null, MAX_REPLAY);
    // A client this far behind (typically one cut off for not reading) would be backed up again
    // at once: a snapshot is the shorter way to catch up.
    if (!more || more.count >= MAX_REPLAY || this.bytes(more.frames) > this.limits.maxBacklogBytes) return null;
    return { frames: more.frames, upTo: more.last, seq: more.lastSeq };
  }

  private bytes(frames: Buffer[]): number {
    return frames.reduce((sum, f) => sum + f.length, 0);
  }

  /**
   * Joins a client whose first messages reach up to `upTo` (sequence `seq`) to the channel: if
   * this instance has delivered past that, the messages in between come from its buffer or from
   * Redis; if it has not got that far, the client skips what it already has. False when the
   * stream no longer holds what lies in between.
   */
  private async join2(sub: Subscriber, ch: RedisChannel, frames: Buffer[], upTo: string, seq: number | null): Promise<boolean> {
    let after = upTo;
    let afterSeq = seq;
    let first = frames;
    for (let round = 0; round < 3; round++) {
      if (!ch.following || ch.cursor === null) {
        // Not followed yet, or followed from a position still unknown (Redis was away): from here.
        ch.startFollowing(after, afterSeq);
        this.wake();
        this.bridgeCached(ch);
      }
      if (ch.cursor === null || compareIds(after, ch.cursor) >= 0) {
        sub.after = after;
        this.join(sub, first);
        return true;
      }
      const local = ch.framesAfter(after);
      if (local) {
        this.join(sub, [...first, ...local]);
        return true;
      }
      if (this.cmd.status !== 'ready') return false;
      const more = await this.rangeAfter(ch, after, afterSeq, MAX_REPLAY);
      if (!more) return false;
      first = [...first, ...more.frames];
      after = more.last;
      afterSeq = more.lastSeq;
    }
    return false;
  }

  // ---- Stored snapshots (relays) ----

  /**
   * The channel's snapshot as the primary stored it: from memory for SNAPSHOT_CACHE_MS, else
   * from Redis, asking the primary for it when it is not there. While Redis is away the last one
   * fetched is served. Throws 404 for a channel the primary does not know, 503 `live_unavailable`
   * when there is none to serve.
   */
  async storedSnapshot(channel: string, opts: { fresh?: boolean } = {}): Promise<StoredSnapshot> {
    const cached = this.snapshotCache.get(channel);
    let found: CachedSnapshot | undefined;
    if (cached && !opts.fresh && Date.now() - cached.fetchedAt < SNAPSHOT_CACHE_MS) found = cached;
    else if (this.cmd.status === 'ready') {
      let fetch = this.snapshotFetches.get(channel);
      if (!fetch) {
        fetch = this.fetchSnapshot(channel).finally(() => this.snapshotFetches.delete(channel));
        this.snapshotFetches.set(channel, fetch);
      }
      found = await fetch.catch(() => (cached && !('missing' in cached) ? cached : undefined));
    } else if (cached && !('missing' in cached)) found = cached;
    if (!found) throw liveUnavailable();
    if ('missing' in found) throw new AppError(404, 'not_found', 'Not found');
    return found;
  }

  private async fetchSnapshot(channel: string): Promise<CachedSnapshot> {
    const ch = this.channel(channel);
    const deadline = Date.now() + SNAPSHOT_WAIT_MS;
    let asked = false;
    for (;;) {
      const h = await this.cmd.hgetall(ch.snapshot);
      let found: CachedSnapshot | null = null;
      if (h.d !== undefined && h.id !== undefined)
        found = { id: h.id, n: Number(h.n ?? 0), json: h.d, frame: sseFrame(h.id, 'snapshot', h.d), fetchedAt: Date.now() };
      else if (h.missing) found = { missing: true, fetchedAt: Date.now() };
      if (found) {
        this.snapshotCache.delete(channel);
        this.snapshotCache.set(channel, found);
        if (this.snapshotCache.size > SNAPSHOT_CACHE_MAX) this.snapshotCache.delete(this.snapshotCache.keys().next().value!);
        this.bridgeCached(ch);
        return found;
      }
      if (!asked) {
        asked = true;
        // Nobody listening: no primary is connected to make one.
        if ((await this.cmd.publish(this.requestsChannel, `snapshot ${channel}`)) === 0) throw liveUnavailable();
      }
      if (Date.now() > deadline) throw liveUnavailable();
      await sleep(SNAPSHOT_POLL_MS);
    }
  }

  // ---- Closing ----

  async close(): Promise<void> {
    if (this.options.role === 'primary' && this.cmd.status === 'ready') {
      // A last ranking broadcast may still be on its way (the ranking service sends one at most
      // 20 ms after a mark), then the snapshots it leaves: stored, so relays and the next start agree.
      await sleep(50);
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = undefined;
      this.storeSnapshots();
      await Promise.race([Promise.allSettled([...this.storing]), sleep(2000)]);
    }
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.resyncTimer);
    clearTimeout(this.snapshotTimer);
    this.closeStreams();
    this.wake();
    this.reader.disconnect();
    this.requests?.disconnect();
    await Promise.race([this.cmd.quit().catch(() => {}), sleep(1000)]);
    this.cmd.disconnect();
    await Promise.race([this.loop, sleep(1000)]);
  }
}
