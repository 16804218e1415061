import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

/** Listens; everything else lives in `buildApp`. */
async function main(): Promise<void> {
  let config;
  let app;
  try {
    config = loadConfig();
    // buildApp checks DATA_KEY against the stored data: a wrong key is a ConfigError too.
    app = await buildApp(config, { sealedRooms: config.sealedRooms });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: flushing documents');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Parley is listening on ${config.publicUrl}`);
}

void main();
