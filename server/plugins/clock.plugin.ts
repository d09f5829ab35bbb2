import fp from 'fastify-plugin';
import { systemClock, type Clock } from '../clock.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where services read the time (`app.clock.now()`); tests pass a fixed clock to buildApp. */
    clock: Clock;
  }
}

export default fp(
  async (app, opts: { clock?: Clock }) => {
    app.decorate('clock', opts.clock ?? systemClock);
  },
  { name: 'clock' },
);
