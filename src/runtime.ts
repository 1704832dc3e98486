import { sharedRepositories } from './repositories/index.js';
import path from 'node:path';
import type { Config } from './config.js';
import { connectPglite, connectPostgres, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import type { ServiceDeps } from './services/context.js';
import { FileRecordingStore, type RecordingStore } from './services/recordings/recording-store.js';
import { S3RecordingStore } from './services/recordings/s3-recording-store.js';
import { systemClock, systemIds, type Clock, type IdGenerator } from './seams.js';

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? connectPostgres(config.databaseUrl, config.databasePoolSize)
    : connectPglite(config.dataDir);
}

/** The recording store the configuration names: the data directory unless RECORDING_STORE=s3. */
export function recordingStoreOf(config: Config): RecordingStore {
  if (config.recordingStore === 'file')
    return new FileRecordingStore(path.join(config.dataDir, 'recordings'));
  return new S3RecordingStore({
    ...(config.recordingS3Endpoint ? { endpoint: config.recordingS3Endpoint } : {}),
    region: config.recordingS3Region,
    // loadConfig refuses RECORDING_STORE=s3 without these.
    bucket: config.recordingS3Bucket ?? '',
    accessKeyId: config.recordingS3AccessKeyId ?? '',
    secretAccessKey: config.recordingS3SecretAccessKey ?? '',
    prefix: config.recordingS3Prefix,
    forcePathStyle: config.recordingS3PathStyle === 'on',
  });
}

/**
 * Migrates the database and assembles the service dependencies. Without JWT_SECRET the signing
 * key is generated once and kept in the database, so every process sharing it agrees.
 */
export async function prepareRuntime(
  handle: DatabaseHandle,
  config: Config,
  seams: { clock?: Clock; ids?: IdGenerator } = {},
): Promise<ServiceDeps> {
  await migrateToLatest(handle.db);
  const ids = seams.ids ?? systemIds;
  const jwtSecret =
    config.jwtSecret ??
    (await sharedRepositories(handle.db).serverSecrets.getOrCreate('jwt_secret', () => ids.secret(48)));
  return {
    db: handle.db,
    openBulkSession: handle.openBulkSession,
    listen: handle.listen,
    clock: seams.clock ?? systemClock,
    storageDir: path.join(config.dataDir, 'files'),
    uploadIdleTimeoutMs: config.uploadIdleTimeoutMs,
    recordings: {
      store: recordingStoreOf(config),
      spoolDir: path.join(config.dataDir, 'recordings-spool'),
    },
    requireRecordedMessage: config.carrier === 'sip',
    webhookTargets: { allowPrivate: config.webhookAllowPrivateTargets === 'on' },
    ...(config.webrtcWsUrl && config.webrtcAuthSecret && config.sipAgentDomain
      ? {
          browserPhone: {
            wsUrl: config.webrtcWsUrl,
            secret: config.webrtcAuthSecret,
            domain: config.sipAgentDomain,
            ttlSeconds: config.webrtcCredentialTtlSeconds,
          },
        }
      : {}),
    ids,
    auth: {
      jwtSecret,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      passwordHashCost: config.passwordHashCost,
      loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    },
  };
}
