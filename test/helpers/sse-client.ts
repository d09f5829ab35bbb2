import http from 'node:http';

export type SseMessage = { id?: string; event: string; data: any };

/**
 * A minimal SSE reader over node:http (vitest runs in Node, where EventSource is not global on
 * Node 20). Collects messages; `next(type)` waits for the next one of that type.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  private waiters: { type: string; from: number; resolve: (m: SseMessage) => void }[] = [];
  private req: http.ClientRequest | undefined;
  private buffer = '';

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`SSE status ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        resolve(client);
      });
      client.req.on('error', reject);
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const msg: SseMessage = { event: 'message', data: undefined };
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) msg.id = line.slice(4);
        else if (line.startsWith('event: ')) msg.event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (!data) continue;
      msg.data = JSON.parse(data);
      this.messages.push(msg);
      const index = this.messages.length - 1;
      this.waiters = this.waiters.filter((w) => {
        if (index >= w.from && msg.event === w.type) {
          w.resolve(msg);
          return false;
        }
        return true;
      });
    }
  }

  private readonly consumed = new Map<string, number>();

  /** The first message of `type` not yet returned by `next`, waiting for it if needed. */
  next(type: string, timeoutMs = 2000): Promise<SseMessage> {
    const from = (this.consumed.get(type) ?? -1) + 1;
    const index = this.messages.findIndex((m, i) => i >= from && m.event === type);
    if (index >= 0) {
      this.consumed.set(type, index);
      return Promise.resolve(this.messages[index]!);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        type,
        from,
        resolve: (m) => {
          clearTimeout(timer);
          this.consumed.set(type, this.messages.indexOf(m));
          resolve(m);
        },
      });
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Waits until a message matching `test` has arrived. */
export async function waitFor(client: SseClient, test: (m: SseMessage) => boolean, timeoutMs = 2000): Promise<SseMessage> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = client.messages.find(test);
    if (found) return found;
    if (Date.now() > end) throw new Error('no matching message in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}
