import type { FastifyInstance } from 'fastify';
import os from 'node:os';
import type pino from 'pino';
import { ImportWorker } from './services/imports/import-worker.js';
import { WebhookDeliveryWorker } from './services/webhooks/delivery-worker.js';
import { ForecastWorker } from './services/forecasts/forecast-worker.js';
import { RecordingRetentionWorker } from './services/recordings/delete-recordings.js';
import { recordingsFor, type CallRecordings } from './services/recordings/record-call.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { Registry } from 'prom-client';
import { buildApp } from './http/app.js';
import { webhookDeliveryMetrics } from './http/plugins/metrics.js';
import { systemContext, type ServiceDeps } from './services/context.js';
import { loadCampaignMessageAudio } from './services/campaigns/campaign-message.js';
import { loadRecordingAnnouncementAudio } from './services/campaigns/recording-announcement.js';
import type { MessageRef } from './engine/carrier.js';
import { Random } from './engine/random.js';
import { RealTimeScheduler } from './engine/scheduler.js';
import { REALISTIC_DAY, realisticCallees, SimulatedCarrier } from './engine/simulated-carrier.js';
import { EngineHost } from './services/engine/engine-host.js';
import { createLogger } from './http/logging.js';
import { startSipCarrier, type RunningSipCarrier } from './telephony/sip/start-sip-carrier.js';

/** The address asked for is taken by another process (said in one line, not a stack trace). */
export class PortInUseError extends Error {}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  engine: EngineHost | null;
  scheduler: RealTimeScheduler;
  stop(): Promise<void>;
}

/**
 * The simulated callees of the configuration: the realistic day's mix of answers, machines, busy
 * and invalid numbers, with the share answered, the ring and the talk times as configured (quicker
 * ones make a demo, or a browser test on real time, move faster).
 */
export function simulatedCallees(config: Config) {
  return realisticCallees({
    ...REALISTIC_DAY,
    answerProbability: config.simulatedAnswerPercent / 100,
    ringMinMs: config.simulatedRingMinMs,
    ringMaxMs: config.simulatedRingMaxMs,
    meanTalkMs: config.simulatedTalkMs,
  });
}

/**
 * The dialer engine of this process, on real time. The carrier is the built-in simulated one
 * (OUTDIAL_CARRIER=simulated, seeded by SIMULATED_CARRIER_SEED) or SIP through a trunk
 * (OUTDIAL_CARRIER=sip, docs/telephony.md).
 */
async function startEngine(
  config: Config,
  deps: ServiceDeps,
  scheduler: RealTimeScheduler,
  logger: pino.Logger,
  recordings: CallRecordings,
): Promise<{ engine: EngineHost; sip: RunningSipCarrier | null }> {
  const random = new Random(config.carrierSeed);
  // One name for the engine process and its carrier: the SIP carrier records its dialogs under it.
  const nodeId = `${os.hostname()}:${process.pid}:${deps.ids.uuid().slice(0, 8)}`;
  const messages = {
    load: (ref: MessageRef) =>
      loadCampaignMessageAudio(deps, systemContext(ref.owner, 'engine'), ref.id, ref.version),
  };
  const sip =
    config.carrier === 'sip'
      ? await startSipCarrier(
          config,
          scheduler,
          logger,
          { db: deps.db, clock: deps.clock, nodeId },
          messages,
          { open: (contactCenterId, callId) => recordings.openForCall({ contactCenterId }, callId) },
          {
            load: (ref: MessageRef) =>
              loadRecordingAnnouncementAudio(deps, systemContext(ref.owner, 'engine'), ref.id, ref.version),
          },
        )
      : null;
  const carrier = sip?.carrier ?? new SimulatedCarrier(scheduler, random.fork(), simulatedCallees(config));
  const engine = new EngineHost(deps, {
    scheduler,
    carrier,
    random: random.fork(),
    nodeId,
    tickMs: config.engineTickMs,
    leaseMs: config.engineLeaseSeconds * 1000,
    onError: (error, where) => logger.error({ err: error, where }, 'engine error'),
  });
  deps.engine = engine;
  engine.start();
  logger.info({ node: engine.nodeId, carrier: config.carrier }, 'dialer engine started');
  return { engine, sip };
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
  const logger = createLogger(config.logLevel);
  // Business events (campaign started, import finished, …) go to the same log as the requests.
  deps.log = logger;
  const registry = new Registry();
  const app = await buildApp({
    deps,
    registry,
    engineLeaseMs: config.engineLeaseSeconds * 1000,
    loggerInstance: logger,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    isAccepting: () => accepting,
  });
  const imports = new ImportWorker(deps, {
    owner: `${os.hostname()}:${process.pid}`,
    threads: config.importThreads,
    onError: (error, job) => logger.error({ err: error, importJob: job.id }, 'import failed'),
  });
  const webhooks = new WebhookDeliveryWorker(deps, {
    owner: `${os.hostname()}:${process.pid}`,
    timeoutMs: config.webhookTimeoutMs,
    onAttempt: webhookDeliveryMetrics(registry),
    onError: (error) => logger.error({ err: error }, 'webhook delivery error'),
  });
  const forecasts = new ForecastWorker(deps, {
    owner: `${os.hostname()}:${process.pid}`,
    threads: config.forecastThreads,
    onError: (error, job) => logger.error({ err: error, forecastJob: job.id }, 'forecast failed'),
  });
  const retention = new RecordingRetentionWorker(deps, {
    owner: `${os.hostname()}:${process.pid}`,
    pollMs: config.recordingRetentionPollSeconds * 1000,
    onError: (error) => logger.error({ err: error }, 'recording retention error'),
  });
  // The calls this process records (docs/recordings.md): the carrier opens one per connected call of
  // a recorded campaign, once it relays the call's media through its own RTP endpoints.
  const recordings = recordingsFor(deps, {
    onError: (error) => logger.error({ err: error }, 'call recording error'),
  });
  // Listening comes first: a taken port ends here, before any job or call has started.
  let url: string;
  try {
    url = await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    if ((error as { code?: string }).code === 'EADDRINUSE')
      throw new PortInUseError(
        `${config.host}:${config.port} is already in use: stop what listens there, or choose another port (--port or PORT)`,
      );
    throw error;
  }
  imports.start();
  webhooks.start();
  forecasts.start();
  retention.start();
  await recordings.start();
  const scheduler = new RealTimeScheduler();
  const started =
    config.engine === 'on' ? await startEngine(config, deps, scheduler, logger, recordings) : null;
  const engine = started?.engine ?? null;
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
      // Live calls get half the shutdown time to finish (claims and agents then pass to other
      // processes); the other half is for closing the workers and the database, which takes seconds
      // on a loaded machine: running out of it ends the process with exit code 1.
      await engine?.stop(Math.floor(config.shutdownTimeoutMs / 2));
      await started?.sip?.stop();
      await recordings.stop();
      scheduler.cancelAll();
      await imports.stop();
      await webhooks.stop();
      await forecasts.stop();
      await retention.stop();
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
  return { app, url, engine, scheduler, stop };
}
