import type { ServerResponse } from 'node:http';
import fp from 'fastify-plugin';

/** Past messages a channel keeps so a reconnecting client can catch up: at most this many … */
const REPLAY_BUFFER = 1000;
/** … and at most this many bytes; older ones are dropped (a client that old gets a snapshot). */
const REPLAY_BYTES = 4 * 1024 * 1024;
/**
 * A subscriber with this much unsent data is too slow (or gone without a FIN): it is cut off and
 * its EventSource reconnects with Last-Event-ID, so one stalled tablet cannot grow server memory.
 */
const MAX_PENDING_BYTES = 2 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

type Message = { seq: number; id: string; frame: string };

class Channel {
  readonly subscribers = new Set<ServerResponse>();
  readonly buffer: Message[] = [];
  bufferBytes = 0;
  seq = 0;
}

/**
 * In-process pub/sub behind the Server-Sent Events streams. Message ids are `<boot>-<seq>`:
 * a client that reconnects with `Last-Event-ID` from this process gets exactly the messages it
 * missed; one whose id is from an earlier process (or too old) gets a fresh snapshot instead.
 */
export class LiveHub {
  private readonly channels = new Map<string, Channel>();
  private readonly boot = Date.now().toString(36);
  private heartbeat: NodeJS.Timeout | undefined;

  constructor() {
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
    const frame = `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    ch.buffer.push({ seq, id, frame });
    ch.bufferBytes += frame.length;
    while (ch.buffer.length > REPLAY_BUFFER || (ch.bufferBytes > REPLAY_BYTES && ch.buffer.length > 1))
      ch.bufferBytes -= ch.buffer.shift()!.frame.length;
    for (const res of ch.subscribers) {
      if (res.writableLength > MAX_PENDING_BYTES) {
        ch.subscribers.delete(res);
        res.destroy();
      } else res.write(frame);
    }
    return id;
  }

  /**
   * Attaches a response to a channel. Returns the frames to replay when `lastEventId` can be
   * resumed from the buffer, or null when the caller must send a full snapshot first.
   */
  subscribe(name: string, res: ServerResponse, lastEventId: string | undefined): string[] | null {
    const ch = this.channel(name);
    ch.subscribers.add(res);
    res.on('close', () => ch.subscribers.delete(res));
    if (!lastEventId) return null;
    const [boot, seqText] = lastEventId.split('-');
    const seq = Number(seqText);
    if (boot !== this.boot || !Number.isInteger(seq) || seq > ch.seq) return null;
    const oldest = ch.buffer[0]?.seq ?? ch.seq + 1;
    if (seq < oldest - 1) return null;
    return ch.buffer.filter((m) => m.seq > seq).map((m) => m.frame);
  }

  /** The id of the channel's latest message, used to label a snapshot. */
  currentId(name: string): string {
    return `${this.boot}-${this.channel(name).seq}`;
  }

  subscriberCount(name: string): number {
    return this.channels.get(name)?.subscribers.size ?? 0;
  }

  private beat(): void {
    for (const ch of this.channels.values()) for (const res of ch.subscribers) res.write(': keep-alive\n\n');
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const ch of this.channels.values()) for (const res of ch.subscribers) res.end();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
  }
}

export default fp(
  async (app) => {
    const hub = new LiveHub();
    app.decorate('live', hub);
    // preClose, not onClose: open streams would otherwise keep the server from closing.
    app.addHook('preClose', async () => hub.close());
  },
  { name: 'live' },
);
