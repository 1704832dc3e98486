import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import pino from 'pino';
import { ImportWorker } from './services/imports/import-worker.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { buildApp } from './http/app.js';
import type { ServiceDeps } from './services/context.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the API until SIGINT/SIGTERM, then shuts down gracefully: /readyz turns 503, new
 * connections are refused, in-flight requests finish (up to SHUTDOWN_TIMEOUT_MS), and the
 * database is closed last.
 */
export async function serve(
  config: Config,
  handle: DatabaseHandle,
  deps: ServiceDeps,
): Promise<RunningServer> {
  let accepting = true;
  const logger = pino({ level: config.logLevel });
  const app = await buildApp({
    deps,
    loggerInstance: logger,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    isAccepting: () => accepting,
  });
  const imports = new ImportWorker(deps, {
    owner: `${os.hostname()}:${process.pid}`,
    threads: config.importThreads,
    onError: (error, job) => logger.error({ err: error, importJob: job.id }, 'import failed'),
  });
  imports.start();
  const url = await app.listen({ host: config.host, port: config.port });
  logger.info({ url, database: handle.kind }, 'Outdial is serving');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      accepting = false;
      const timer = setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, config.shutdownTimeoutMs);
      timer.unref();
      await app.close();
      await imports.stop();
      await handle.close();
      clearTimeout(timer);
      logger.info('Outdial stopped');
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void stop().then(() => process.exit(0));
    });
  }
  return { app, url, stop };
}
