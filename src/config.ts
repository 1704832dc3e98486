import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import os from 'node:os';
import path from 'node:path';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);

/** Every setting Outdial reads from its environment, with its default and meaning (README: Configuration). */
export const ConfigSchema = Type.Object({
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  dataDir: Type.String({ minLength: 1 }),
  logLevel: LogLevel,
  jwtSecret: Type.Optional(Type.String({ minLength: 32 })),
  accessTokenTtlSeconds: Type.Integer({ minimum: 30, maximum: 86400 }),
  refreshTokenTtlSeconds: Type.Integer({ minimum: 300 }),
  loginRateLimitPerMinute: Type.Integer({ minimum: 1 }),
  passwordHashCost: Type.Integer({ minimum: 10, maximum: 20 }),
  shutdownTimeoutMs: Type.Integer({ minimum: 100 }),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200 }),
  engine: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  carrier: Type.Union([Type.Literal('simulated')]),
  carrierSeed: Type.Integer({ minimum: 0 }),
  engineTickMs: Type.Integer({ minimum: 50, maximum: 60_000 }),
  engineLeaseSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  simulatedAnswerPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  simulatedRingMinMs: Type.Integer({ minimum: 0, maximum: 120_000 }),
  simulatedRingMaxMs: Type.Integer({ minimum: 0, maximum: 120_000 }),
  simulatedTalkMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  importThreads: Type.Integer({ minimum: 0, maximum: 64 }),
  uploadIdleTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  metricsToken: Type.Optional(Type.String({ minLength: 16 })),
});
export type Config = Static<typeof ConfigSchema>;

interface Setting {
  env: string;
  key: keyof Config;
  kind: 'string' | 'integer';
  default?: string;
}

export const SETTINGS: readonly Setting[] = [
  { env: 'HOST', key: 'host', kind: 'string', default: '127.0.0.1' },
  { env: 'PORT', key: 'port', kind: 'integer', default: '3000' },
  { env: 'DATABASE_URL', key: 'databaseUrl', kind: 'string' },
  { env: 'OUTDIAL_DATA_DIR', key: 'dataDir', kind: 'string', default: 'data' },
  { env: 'LOG_LEVEL', key: 'logLevel', kind: 'string', default: 'info' },
  { env: 'JWT_SECRET', key: 'jwtSecret', kind: 'string' },
  { env: 'ACCESS_TOKEN_TTL_SECONDS', key: 'accessTokenTtlSeconds', kind: 'integer', default: '900' },
  { env: 'REFRESH_TOKEN_TTL_SECONDS', key: 'refreshTokenTtlSeconds', kind: 'integer', default: '2592000' },
  { env: 'LOGIN_RATE_LIMIT_PER_MINUTE', key: 'loginRateLimitPerMinute', kind: 'integer', default: '10' },
  { env: 'PASSWORD_HASH_COST', key: 'passwordHashCost', kind: 'integer', default: '17' },
  { env: 'SHUTDOWN_TIMEOUT_MS', key: 'shutdownTimeoutMs', kind: 'integer', default: '10000' },
  { env: 'DATABASE_POOL_SIZE', key: 'databasePoolSize', kind: 'integer', default: '10' },
  { env: 'OUTDIAL_ENGINE', key: 'engine', kind: 'string', default: 'on' },
  { env: 'OUTDIAL_CARRIER', key: 'carrier', kind: 'string', default: 'simulated' },
  { env: 'SIMULATED_CARRIER_SEED', key: 'carrierSeed', kind: 'integer', default: '1' },
  { env: 'ENGINE_TICK_MS', key: 'engineTickMs', kind: 'integer', default: '1000' },
  { env: 'ENGINE_LEASE_SECONDS', key: 'engineLeaseSeconds', kind: 'integer', default: '30' },
  { env: 'SIMULATED_ANSWER_PERCENT', key: 'simulatedAnswerPercent', kind: 'integer', default: '35' },
  { env: 'SIMULATED_RING_MIN_MS', key: 'simulatedRingMinMs', kind: 'integer', default: '3000' },
  { env: 'SIMULATED_RING_MAX_MS', key: 'simulatedRingMaxMs', kind: 'integer', default: '15000' },
  { env: 'SIMULATED_TALK_MS', key: 'simulatedTalkMs', kind: 'integer', default: '90000' },
  { env: 'METRICS_TOKEN', key: 'metricsToken', kind: 'string' },
  { env: 'UPLOAD_IDLE_TIMEOUT_MS', key: 'uploadIdleTimeoutMs', kind: 'integer', default: '30000' },
  // Threads per running import: a reader thread, and a second one that checks rows for it when a
  // core is left for it (PostgreSQL's one backend per import is the ceiling beyond that).
  {
    env: 'IMPORT_THREADS',
    key: 'importThreads',
    kind: 'integer',
    default: String(Math.max(0, Math.min(2, os.availableParallelism() - 1))),
  },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the whole configuration once; reports every problem, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const text = env[setting.env] === '' ? undefined : (env[setting.env] ?? setting.default);
    if (text === undefined) continue;
    if (setting.kind === 'integer') {
      if (!/^-?\d+$/.test(text.trim())) {
        problems.push(`${setting.env} must be a whole number, got "${text}"`);
        continue;
      }
      raw[setting.key] = Number(text);
    } else {
      raw[setting.key] = text;
    }
  }
  for (const error of Value.Errors(ConfigSchema, raw)) {
    const key = error.path.replace(/^\//, '');
    const setting = SETTINGS.find((s) => s.key === key);
    if (setting && problems.some((p) => p.startsWith(setting.env))) continue;
    problems.push(
      `${setting?.env ?? key}: ${error.message}${error.value === undefined ? '' : ` (got "${String(error.value)}")`}`,
    );
  }
  const ring = [raw.simulatedRingMinMs, raw.simulatedRingMaxMs];
  if (typeof ring[0] === 'number' && typeof ring[1] === 'number' && ring[0] > ring[1]) {
    problems.push(`SIMULATED_RING_MIN_MS (${ring[0]}) must not exceed SIMULATED_RING_MAX_MS (${ring[1]})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = raw as Config;
  config.dataDir = path.resolve(config.dataDir);
  return config;
}
