/**
 * `npm run bench:live [-- --clients 200 --messages 2000 --size 4096]` — what live clients that never
 * read cost the server: that many raw TCP clients open the event stream and never read a byte, the
 * hub publishes that many messages of that size, and the server's memory (RSS, Node's buffers) and
 * the kernel's TCP memory are printed before and after. The app runs in this process; the clients
 * are paused sockets, which hold nothing in Node.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { eventChannel } from '../../server/features/ranking/ranking.service.ts';
import { makeScenario } from '../helpers/scenario.ts';
import { buildTestApp } from '../helpers/test-app.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] ?? NaN) || fallback;
const CLIENTS = arg('clients', 200);
const MESSAGES = arg('messages', 2000);
const SIZE = arg('size', 4096);

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
/** Memory the kernel has allocated to TCP buffers, all sockets (pages of 4 KB). */
const kernelTcpBytes = () => Number(/TCP:.* mem (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? 0) * 4096;
const tick = () => new Promise((r) => setImmediate(r));

function reading(label: string) {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`${label.padEnd(34)} RSS ${mb(m.rss).padStart(6)} MB (peak ${mb(peak).padStart(6)} MB), heap ${mb(m.heapUsed).padStart(5)} MB, buffers ${mb(m.arrayBuffers).padStart(6)} MB, kernel TCP ${mb(kernelTcpBytes()).padStart(6)} MB`);
}

const app = await buildTestApp();
const s = makeScenario(app, { entrants: 30, judgeCount: 3 });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as net.AddressInfo).port;
const hub = app.live as typeof app.live & { stats?: () => unknown };

reading('idle');
const sockets: net.Socket[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET /api/public/events/${s.eventId}/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  sockets.push(socket);
}
while (app.live.subscriberCount(eventChannel(s.eventId)) < CLIENTS) await tick();
reading(`${CLIENTS} stalled clients connected`);

const started = performance.now();
const pad = 'x'.repeat(SIZE);
for (let i = 0; i < MESSAGES; i++) {
  app.live.publish(eventChannel(s.eventId), 'ranking', { seq: i, pad });
  if (i % 20 === 0) await tick(); // let sockets flush, as between real broadcasts
}
for (let i = 0; i < 20; i++) await tick();
const seconds = (performance.now() - started) / 1000;
reading(`after ${MESSAGES} × ${SIZE / 1024} KB messages`);
console.log(`still subscribed: ${app.live.subscriberCount(eventChannel(s.eventId))} of ${CLIENTS}; publishing took ${seconds.toFixed(2)} s`);
if (hub.stats) console.log('hub:', JSON.stringify(hub.stats()));

for (const socket of sockets) socket.destroy();
await app.close();
