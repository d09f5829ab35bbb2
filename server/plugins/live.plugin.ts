import type { ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';

/** Past messages a channel keeps so a reconnecting client can catch up: at most this many … */
const REPLAY_BUFFER = 1000;
/** … and at most this many bytes; older ones are dropped (a client that old gets a snapshot). */
const REPLAY_BYTES = 4 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');

/**
 * What live clients may hold in this process. The kernel's send buffer (up to a few MB per socket)
 * fills first and cannot be sized from Node; once it is full `write()` returns false and every
 * further byte stays in this process until the client reads, so that is what these bound.
 */
export type LiveLimits = {
  /** Open streams at once, all channels together; one more is refused with 503 `live_capacity`. */
  maxClients: number;
  /** Bytes sent to a client after its socket stopped taking data (from the next turn of the event loop on: see LiveHub.turn) and before it drained. */
  maxBacklogBytes: number;
  /** How long a client may stay backed up (no drain) while messages keep coming. */
  maxStallMs: number;
  /** Bytes queued in this process for all clients together; over it the longest backed-up are cut first. */
  maxQueuedBytes: number;
  /** Retry-After of a refused stream. */
  retryAfterSeconds: number;
};

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxClients: 2000,
  maxBacklogBytes: 256 * 1024,
  maxStallMs: 30_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  retryAfterSeconds: 10,
};

/** The limit a cut-off client went over: its own backlog, its stall time, or the total queued. */
type CutCause = 'backlog' | 'stall' | 'total';

type Message = { seq: number; id: string; frame: Buffer };

class Channel {
  readonly subscribers = new Set<Subscriber>();
  readonly buffer: Message[] = [];
  bufferBytes = 0;
  seq = 0;
}

class Subscriber {
  /** Since when the socket has refused more data (write() returned false) without a drain; null while it keeps up. */
  stalledSince: number | null = null;
  /** The hub's turn (LiveHub.turn) in which it did. */
  stalledTurn = 0;
  /** Bytes written to it in later turns, with no drain in between. */
  backlogBytes = 0;

  constructor(
    readonly res: ServerResponse,
    readonly channel: Channel,
  ) {}
}

/**
 * In-process pub/sub behind the Server-Sent Events streams. Message ids are `<boot>-<seq>`:
 * a client that reconnects with `Last-Event-ID` from this process gets exactly the messages it
 * missed; one whose id is from an earlier process (or too far behind) gets a fresh snapshot instead.
 *
 * A client that stops reading is cut off (see LiveLimits) rather than queued for: its EventSource
 * reconnects by itself once it can, and catches up from the replay buffer or a snapshot.
 */
export class LiveHub {
  /** Tests lower these to see a client cut off within a few messages. */
  limits: LiveLimits;
  private readonly channels = new Map<string, Channel>();
  private readonly clients = new Set<Subscriber>();
  /** Clients cut off so far, by the limit they went over. */
  private readonly cuts: Record<CutCause, number> = { backlog: 0, stall: 0, total: 0 };
  private readonly boot = Date.now().toString(36);
  /**
   * Turns of the event loop in which something was sent. Messages sent in one go (one event's
   * snapshot to several channels, or several events' at once) fill even a healthy client's socket
   * for a moment, so only what a client is sent in a later turn, still without a drain, counts as
   * its backlog.
   */
  private turn = 0;
  private turnEnding = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(limits: Partial<LiveLimits> = {}) {
    this.limits = { ...DEFAULT_LIVE_LIMITS, ...limits };
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private channel(name: string): Channel {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = new Channel();
      this.channels.set(name, ch);
    }
    return ch;
  }

  /** Sends `data` as an SSE message of type `type` to everyone on the channel. */
  publish(name: string, type: string, data: unknown): string {
    const ch = this.channel(name);
    const seq = ++ch.seq;
    const id = `${this.boot}-${seq}`;
    const frame = Buffer.from(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    ch.buffer.push({ seq, id, frame });
    ch.bufferBytes += frame.length;
    while (ch.buffer.length > REPLAY_BUFFER || (ch.bufferBytes > REPLAY_BYTES && ch.buffer.length > 1))
      ch.bufferBytes -= ch.buffer.shift()!.frame.length;
    for (const sub of ch.subscribers) this.send(sub, frame);
    this.enforceTotal();
    return id;
  }

  /** Throws 503 `live_capacity` when no more streams may open; call before opening one. */
  checkCapacity(): void {
    if (this.clients.size >= this.limits.maxClients)
      throw new AppError(503, 'live_capacity', 'The live ranking has as many viewers as it can serve; try again shortly', undefined, {
        retryAfterSeconds: this.limits.retryAfterSeconds,
      });
  }

  /**
   * Attaches an open event-stream response to a channel and sends its first messages: the ones
   * missed since `lastEventId` when they can be replayed, else a snapshot made by `snapshot`.
   */
  subscribe(name: string, res: ServerResponse, lastEventId: string | undefined, snapshot: () => unknown): void {
    const ch = this.channel(name);
    const sub = new Subscriber(res, ch);
    ch.subscribers.add(sub);
    this.clients.add(sub);
    res.on('drain', () => {
      sub.stalledSince = null;
      sub.backlogBytes = 0;
    });
    res.on('close', () => this.detach(sub));
    const replay = this.replay(ch, lastEventId);
    const first = replay ?? [Buffer.from(`id: ${this.currentId(name)}\nevent: snapshot\ndata: ${JSON.stringify(snapshot())}\n\n`)];
    this.send(sub, Buffer.concat([Buffer.from('retry: 2000\n\n'), ...first]));
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

  /** For monitoring and tests: open streams, how many are backed up, bytes queued for them, clients cut off. */
  stats(): { clients: number; backedUp: number; queuedBytes: number; cuts: Record<CutCause, number> } {
    let backedUp = 0;
    let queuedBytes = 0;
    for (const sub of this.clients) {
      if (this.isBackedUp(sub)) backedUp++;
      queuedBytes += sub.res.writableLength;
    }
    return { clients: this.clients.size, backedUp, queuedBytes, cuts: { ...this.cuts } };
  }

  private currentTurn(): number {
    if (!this.turnEnding) {
      this.turnEnding = true;
      setImmediate(() => {
        this.turn++;
        this.turnEnding = false;
      });
    }
    return this.turn;
  }

  /** Backed up since an earlier turn than this one. */
  private isBackedUp(sub: Subscriber): boolean {
    return sub.stalledSince !== null && sub.stalledTurn !== this.currentTurn();
  }

  private send(sub: Subscriber, data: Buffer): void {
    if (this.isBackedUp(sub)) {
      sub.backlogBytes += data.length;
      if (sub.backlogBytes > this.limits.maxBacklogBytes) return this.cut(sub, 'backlog');
      if (Date.now() - sub.stalledSince! > this.limits.maxStallMs) return this.cut(sub, 'stall');
    }
    if (!sub.res.write(data) && sub.stalledSince === null) {
      sub.stalledSince = Date.now();
      sub.stalledTurn = this.currentTurn();
    }
  }

  /** Over the total, cuts backed-up clients, longest backed up (then most queued) first. */
  private enforceTotal(): void {
    let queued = 0;
    for (const sub of this.clients) queued += sub.res.writableLength;
    if (queued <= this.limits.maxQueuedBytes) return;
    const backedUp = [...this.clients]
      .filter((sub) => this.isBackedUp(sub))
      .sort((a, b) => a.stalledSince! - b.stalledSince! || b.res.writableLength - a.res.writableLength);
    for (const sub of backedUp) {
      if (queued <= this.limits.maxQueuedBytes) break;
      queued -= sub.res.writableLength;
      this.cut(sub, 'total');
    }
  }

  private cut(sub: Subscriber, cause: CutCause): void {
    this.cuts[cause]++;
    this.reset(sub);
  }

  /**
   * Drops a client and everything queued for it. A reset rather than a FIN: a FIN would wait
   * behind the unread data, which the kernel would go on holding for a client that never reads.
   */
  private reset(sub: Subscriber): void {
    this.detach(sub);
    const socket = sub.res.socket;
    try {
      if (socket) socket.resetAndDestroy();
      else sub.res.destroy();
    } catch {
      socket!.destroy(); // not a plain TCP socket (TLS): no reset, a close will do
    }
  }

  private detach(sub: Subscriber): void {
    sub.channel.subscribers.delete(sub);
    this.clients.delete(sub);
  }

  private beat(): void {
    for (const sub of this.clients) this.send(sub, KEEP_ALIVE);
    this.enforceTotal();
  }

  close(): void {
    clearInterval(this.heartbeat);
    // A backed-up client would hold the server open until it read everything: cut it instead.
    for (const sub of this.clients)
      if (sub.stalledSince === null) sub.res.end();
      else this.reset(sub);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

export default fp<{ limits?: Partial<LiveLimits> }>(
  async (app, opts) => {
    const hub = new LiveHub(opts.limits);
    app.decorate('live', hub);
    // preClose, not onClose: open streams would otherwise keep the server from closing.
    app.addHook('preClose', async () => hub.close());
  },
  { name: 'live' },
);
