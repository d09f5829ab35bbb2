import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

// The only file that listens. Everything else is built by buildApp().
const config = loadConfig();
const app = await buildApp(config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`open http://localhost:${config.port} (API docs at /docs)`);
