import { DatabaseRefusal } from '../db/startup-checks.ts';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';

// The only file that listens. Everything else is built by buildApp().

/** An operator's mistake (configuration, database) is told in their words, without a stack trace. */
function refuseToStart(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  refuseToStart(error instanceof Error ? error.message : String(error));
}

const app = await buildApp(config).catch((error: unknown) => {
  if (error instanceof DatabaseRefusal) refuseToStart(`Refusing to start: ${error.message}`);
  throw error;
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    void app.close().then(() => process.exit(0));
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`open http://localhost:${config.port} (API docs at /docs)`);
