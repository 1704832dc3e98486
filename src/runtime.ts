import { sharedRepositories } from './repositories/index.js';
import path from 'node:path';
import type { Config } from './config.js';
import { connectPglite, connectPostgres, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import type { ServiceDeps } from './services/context.js';
import { systemClock, systemIds, type Clock, type IdGenerator } from './seams.js';

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>,
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? connectPostgres(config.databaseUrl, config.databasePoolSize)
    : connectPglite(config.dataDir);
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
    clock: seams.clock ?? systemClock,
    storageDir: path.join(config.dataDir, 'files'),
    uploadIdleTimeoutMs: config.uploadIdleTimeoutMs,
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
