import type { ServerResponse } from 'node:http';
import { AppError } from '../errors.ts';

/**
 * The side of live streams both hubs share (server/plugins/live.plugin.ts, live-redis.ts): open
 * event-stream responses, writing to them with backpressure, and cutting off clients that stop
 * reading. Where messages come from, and what their ids are, is the hubs' business.
 */

/** Past messages a channel keeps so a reconnecting client can catch up: at most this many … */
export const REPLAY_BUFFER = 1000;
/** … and at most this many bytes; older ones are dropped (a client that old gets a snapshot). */
export const REPLAY_BYTES = 4 * 1024 * 1024;

const HEARTBEAT_MS = 15_000;
const KEEP_ALIVE = Buffer.from(': keep-alive\n\n');
/** Sent first on every stream: how long EventSource waits before it reconnects by itself. */
export const RETRY_FRAME = Buffer.from('retry: 2000\n\n');

/** Starts an event-stream response (the caller has hijacked the reply). */
export function writeStreamHead(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx: pass each message on as it comes rather than buffer the response.
    'x-accel-buffering': 'no',
  });
}

/** One SSE message as written to the wire. */
export function sseFrame(id: string, type: string, json: string): Buffer {
  return Buffer.from(`id: ${id}\nevent: ${type}\ndata: ${json}\n\n`);
}

/**
 * What live clients may hold in this process. The kernel's send buffer (up to a few MB per socket)
 * fills first and cannot be sized from Node; once it is full `write()` returns false and every
 * further byte stays in this process until the client reads, so that is what these bound.
 */
export type LiveLimits = {
  /** Open streams at once, all channels together; one more is refused with 503 `live_capacity`. */
  maxClients: number;
  /** Bytes sent to a client after its socket stopped taking data (from the next turn of the event loop on: see LiveTransport.turn) and before it drained. */
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

export type LiveStats = { clients: number; backedUp: number; queuedBytes: number; cuts: Record<CutCause, number> };

export class Subscriber {
  /** Since when the socket has refused more data (write() returned false) without a drain; null while it keeps up. */
  stalledSince: number | null = null;
  /** The transport's turn (LiveTransport.turn) in which it did. */
  stalledTurn = 0;
  /** Bytes written to it in later turns, with no drain in between. */
  backlogBytes = 0;
  /**
   * Messages up to this id are already in what the client was sent first (a replay fetched
   * from Redis can reach further than this process has read): skip them. Null: send everything.
   */
  after: string | null = null;

  constructor(
    readonly res: ServerResponse,
    /** The subscribers of its channel, which it joins once its first messages are sent. */
    readonly peers: Set<Subscriber>,
  ) {}
}

/**
 * A client that stops reading is cut off (see LiveLimits) rather than queued for: its EventSource
 * reconnects by itself once it can, and catches up by Last-Event-ID or from a snapshot.
 */
export class LiveTransport {
  /** Tests lower these to see a client cut off within a few messages. */
  limits: LiveLimits;
  protected readonly clients = new Set<Subscriber>();
  /** Clients cut off so far, by the limit they went over. */
  private readonly cuts: Record<CutCause, number> = { backlog: 0, stall: 0, total: 0 };
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

  /** Throws 503 `live_capacity` when no more streams may open; call before opening one. */
  checkCapacity(): void {
    if (this.clients.size >= this.limits.maxClients)
      throw new AppError(503, 'live_capacity', 'The live ranking has as many viewers as it can serve; try again shortly', undefined, {
        retryAfterSeconds: this.limits.retryAfterSeconds,
      });
  }

  /**
   * Counts an open event-stream response as a client (so the cap holds while its first messages
   * are being fetched) without sending it anything yet; `join` sends them and adds it to its peers.
   */
  protected open(res: ServerResponse, peers: Set<Subscriber>): Subscriber {
    const sub = new Subscriber(res, peers);
    this.clients.add(sub);
    res.on('drain', () => {
      sub.stalledSince = null;
      sub.backlogBytes = 0;
    });
    res.on('close', () => this.detach(sub));
    return sub;
  }

  /** Sends a client its first messages and from then on everything its channel gets. */
  protected join(sub: Subscriber, first: Buffer[]): void {
    if (!this.clients.has(sub)) return; // gone while its first messages were fetched
    sub.peers.add(sub);
    this.send(sub, Buffer.concat([RETRY_FRAME, ...first]));
  }

  /** Sends one message to a channel's subscribers, skipping those whose first messages already held it. */
  protected broadcast(subs: Iterable<Subscriber>, frame: Buffer, id?: string, compare?: (a: string, b: string) => number): void {
    for (const sub of subs) {
      if (sub.after !== null && id !== undefined && compare) {
        if (compare(id, sub.after) <= 0) continue;
        sub.after = null;
      }
      this.send(sub, frame);
    }
    this.enforceTotal();
  }

  /** Ends a stream that could not be started (its first messages could not be fetched): EventSource comes back by itself. */
  protected abandon(sub: Subscriber): void {
    this.detach(sub);
    sub.res.end();
  }

  /** For monitoring and tests: open streams, how many are backed up, bytes queued for them, clients cut off. */
  stats(): LiveStats {
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

  protected send(sub: Subscriber, data: Buffer): void {
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
  protected enforceTotal(): void {
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
    sub.peers.delete(sub);
    this.clients.delete(sub);
  }

  private beat(): void {
    for (const sub of this.clients) this.send(sub, KEEP_ALIVE);
    this.enforceTotal();
  }

  /** Ends every stream: one that keeps up with a FIN, a backed-up one with a reset (it would hold the server open until it read everything). */
  protected closeStreams(): void {
    clearInterval(this.heartbeat);
    for (const sub of this.clients)
      if (sub.stalledSince === null) sub.res.end();
      else this.reset(sub);
  }
}
