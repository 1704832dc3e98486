import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import os from 'node:os';
import path from 'node:path';
import { parseRtpengineTarget } from './telephony/media/rtpengine-control.js';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);

const IPV4 = '^(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}$';

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
  carrier: Type.Union([Type.Literal('simulated'), Type.Literal('sip')]),
  carrierSeed: Type.Integer({ minimum: 0 }),
  engineTickMs: Type.Integer({ minimum: 50, maximum: 60_000 }),
  engineLeaseSeconds: Type.Integer({ minimum: 5, maximum: 3600 }),
  simulatedAnswerPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  simulatedRingMinMs: Type.Integer({ minimum: 0, maximum: 120_000 }),
  simulatedRingMaxMs: Type.Integer({ minimum: 0, maximum: 120_000 }),
  simulatedTalkMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  importThreads: Type.Integer({ minimum: 0, maximum: 64 }),
  forecastThreads: Type.Integer({ minimum: 0, maximum: 64 }),
  uploadIdleTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
  metricsToken: Type.Optional(Type.String({ minLength: 16 })),
  webhookAllowPrivateTargets: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 30_000 }),
  sipBindAddress: Type.String({ pattern: IPV4 }),
  sipPort: Type.Integer({ minimum: 1, maximum: 65535 }),
  sipMediaAddress: Type.Optional(Type.String({ pattern: IPV4 })),
  sipMediaJoin: Type.Union([Type.Literal('relay'), Type.Literal('reinvite')]),
  sipAgentKeepaliveSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  sipTrunkDomain: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]+(:\\d+)?$' })),
  sipOutboundProxy: Type.Optional(Type.String({ pattern: '^sip:[^@\\s]+$' })),
  sipTrunkTransport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')]),
  sipTrunkUser: Type.Optional(Type.String({ minLength: 1 })),
  sipTrunkPassword: Type.Optional(Type.String({ minLength: 1 })),
  sipFromDomain: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]+$' })),
  sipAgentDomain: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]+(:\\d+)?$' })),
  sipDefaultCallerId: Type.String({ pattern: '^(\\+?[0-9]{3,15}|anonymous)$' }),
  rtpengineControl: Type.Optional(Type.String()),
  recordingStore: Type.Union([Type.Literal('file'), Type.Literal('s3')]),
  recordingS3Endpoint: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  recordingS3Region: Type.String({ pattern: '^[a-z0-9-]+$' }),
  recordingS3Bucket: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' })),
  recordingS3Prefix: Type.String({ pattern: '^([A-Za-z0-9_.-]+/)*$' }),
  recordingS3AccessKeyId: Type.Optional(Type.String({ minLength: 1 })),
  recordingS3SecretAccessKey: Type.Optional(Type.String({ minLength: 1 })),
  recordingS3PathStyle: Type.Union([Type.Literal('on'), Type.Literal('off')]),
  recordingRetentionPollSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  webrtcWsUrl: Type.Optional(Type.String({ pattern: '^wss?://[^\\s]+$' })),
  webrtcAuthSecret: Type.Optional(Type.String({ minLength: 16 })),
  webrtcCredentialTtlSeconds: Type.Integer({ minimum: 60, maximum: 86400 }),
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
  // A webhook must not become a way into the server's own network: loopback and private targets
  // are refused unless the operator says otherwise (a receiver on the same host or LAN).
  { env: 'WEBHOOK_ALLOW_PRIVATE_TARGETS', key: 'webhookAllowPrivateTargets', kind: 'string', default: 'off' },
  { env: 'WEBHOOK_TIMEOUT_MS', key: 'webhookTimeoutMs', kind: 'integer', default: '5000' },
  { env: 'UPLOAD_IDLE_TIMEOUT_MS', key: 'uploadIdleTimeoutMs', kind: 'integer', default: '30000' },
  // Threads per running import: a reader thread, and a second one that checks rows for it when a
  // core is left for it (PostgreSQL's one backend per import is the ceiling beyond that).
  {
    env: 'IMPORT_THREADS',
    key: 'importThreads',
    kind: 'integer',
    default: String(Math.max(0, Math.min(2, os.availableParallelism() - 1))),
  },
  // Threads a forecast's candidates are simulated on, side by side (0 or 1: the main thread).
  {
    env: 'FORECAST_THREADS',
    key: 'forecastThreads',
    kind: 'integer',
    default: String(Math.min(4, os.availableParallelism())),
  },
  { env: 'SIP_BIND_ADDRESS', key: 'sipBindAddress', kind: 'string', default: '127.0.0.1' },
  { env: 'SIP_PORT', key: 'sipPort', kind: 'integer', default: '5080' },
  { env: 'SIP_MEDIA_ADDRESS', key: 'sipMediaAddress', kind: 'string' },
  // relay: customers joined to agents inside Outdial's own RTP ports (no SIP at the join);
  // reinvite: media moved off Outdial by re-INVITEs (docs/telephony.md has the trade-off).
  { env: 'SIP_MEDIA_JOIN', key: 'sipMediaJoin', kind: 'string', default: 'relay' },
  // An in-dialog OPTIONS on each agent's standing leg this often: a phone that died without a BYE
  // (a killed browser) is noticed within about this long (0: never asked).
  { env: 'SIP_AGENT_KEEPALIVE_SECONDS', key: 'sipAgentKeepaliveSeconds', kind: 'integer', default: '15' },
  { env: 'SIP_TRUNK_DOMAIN', key: 'sipTrunkDomain', kind: 'string' },
  { env: 'SIP_OUTBOUND_PROXY', key: 'sipOutboundProxy', kind: 'string' },
  { env: 'SIP_TRUNK_TRANSPORT', key: 'sipTrunkTransport', kind: 'string', default: 'udp' },
  { env: 'SIP_TRUNK_USER', key: 'sipTrunkUser', kind: 'string' },
  { env: 'SIP_TRUNK_PASSWORD', key: 'sipTrunkPassword', kind: 'string' },
  { env: 'SIP_FROM_DOMAIN', key: 'sipFromDomain', kind: 'string' },
  { env: 'SIP_AGENT_DOMAIN', key: 'sipAgentDomain', kind: 'string' },
  { env: 'SIP_DEFAULT_CALLER_ID', key: 'sipDefaultCallerId', kind: 'string', default: 'anonymous' },
  // The media anchor: rtpengine's ng control address; every call's media then goes through rtpengine.
  { env: 'RTPENGINE_CONTROL', key: 'rtpengineControl', kind: 'string' },
  // Call recordings: under the data directory, or in an S3-compatible bucket (docs/recordings.md).
  { env: 'RECORDING_STORE', key: 'recordingStore', kind: 'string', default: 'file' },
  { env: 'RECORDING_S3_ENDPOINT', key: 'recordingS3Endpoint', kind: 'string' },
  { env: 'RECORDING_S3_REGION', key: 'recordingS3Region', kind: 'string', default: 'us-east-1' },
  { env: 'RECORDING_S3_BUCKET', key: 'recordingS3Bucket', kind: 'string' },
  { env: 'RECORDING_S3_PREFIX', key: 'recordingS3Prefix', kind: 'string', default: '' },
  { env: 'RECORDING_S3_ACCESS_KEY_ID', key: 'recordingS3AccessKeyId', kind: 'string' },
  { env: 'RECORDING_S3_SECRET_ACCESS_KEY', key: 'recordingS3SecretAccessKey', kind: 'string' },
  { env: 'RECORDING_S3_PATH_STYLE', key: 'recordingS3PathStyle', kind: 'string', default: 'on' },
  // How often each process looks for recordings past retention, and erased recordings' files to remove.
  {
    env: 'RECORDING_RETENTION_POLL_SECONDS',
    key: 'recordingRetentionPollSeconds',
    kind: 'integer',
    default: '60',
  },
  // The desk's browser phone: where it reaches Kamailio's WebSocket, and the secret Kamailio's
  // auth_ephemeral shares with us to check the short-lived credentials we hand out.
  { env: 'WEBRTC_WS_URL', key: 'webrtcWsUrl', kind: 'string' },
  { env: 'WEBRTC_AUTH_SECRET', key: 'webrtcAuthSecret', kind: 'string' },
  {
    env: 'WEBRTC_CREDENTIAL_TTL_SECONDS',
    key: 'webrtcCredentialTtlSeconds',
    kind: 'integer',
    default: '3600',
  },
];

/** An S3 store needs its bucket and credentials. */
function recordingStoreProblems(raw: Record<string, unknown>): string[] {
  if (raw.recordingStore !== 's3') return [];
  return [
    ['RECORDING_S3_BUCKET', raw.recordingS3Bucket],
    ['RECORDING_S3_ACCESS_KEY_ID', raw.recordingS3AccessKeyId],
    ['RECORDING_S3_SECRET_ACCESS_KEY', raw.recordingS3SecretAccessKey],
  ]
    .filter(([, value]) => value === undefined)
    .map(([env]) => `${String(env)} is required with RECORDING_STORE=s3`);
}

/** What only makes sense together: the SIP carrier's trunk, its credentials, and its first hop. */
function sipProblems(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (raw.carrier === 'sip' && raw.sipTrunkDomain === undefined) {
    problems.push('SIP_TRUNK_DOMAIN is required with OUTDIAL_CARRIER=sip (the host numbers are dialled at)');
  }
  if ((raw.sipTrunkUser === undefined) !== (raw.sipTrunkPassword === undefined)) {
    problems.push('SIP_TRUNK_USER and SIP_TRUNK_PASSWORD go together: set both or neither');
  }
  // The SIP stack takes a request for its own host as addressed to itself, so the first hop
  // must be another address than the one Outdial binds.
  const firstHop =
    typeof raw.sipOutboundProxy === 'string'
      ? /^sip:([^:;]+)/.exec(raw.sipOutboundProxy)?.[1]
      : typeof raw.sipTrunkDomain === 'string'
        ? raw.sipTrunkDomain.split(':')[0]
        : undefined;
  if (raw.carrier === 'sip' && firstHop !== undefined && firstHop === raw.sipBindAddress) {
    problems.push(
      `SIP_BIND_ADDRESS (${firstHop}) must differ from the trunk's or outbound proxy's host: on one machine bind Outdial to another loopback address (e.g. 127.0.0.2)`,
    );
  }
  const proxyTransport =
    typeof raw.sipOutboundProxy === 'string'
      ? /;transport=([^;]+)/i.exec(raw.sipOutboundProxy)?.[1]?.toLowerCase()
      : undefined;
  if (proxyTransport !== undefined && proxyTransport !== raw.sipTrunkTransport) {
    problems.push(
      `SIP_OUTBOUND_PROXY says transport=${proxyTransport} but SIP_TRUNK_TRANSPORT is ${String(raw.sipTrunkTransport)}: set the transport in SIP_TRUNK_TRANSPORT only`,
    );
  }
  if (typeof raw.rtpengineControl === 'string') {
    try {
      parseRtpengineTarget(raw.rtpengineControl);
    } catch {
      problems.push(
        `RTPENGINE_CONTROL must be udp:<host>:<port> (rtpengine's --listen-ng address, e.g. udp:127.0.0.1:2223), got "${raw.rtpengineControl}"`,
      );
    }
  }
  if ((raw.webrtcWsUrl === undefined) !== (raw.webrtcAuthSecret === undefined)) {
    problems.push('WEBRTC_WS_URL and WEBRTC_AUTH_SECRET go together: set both or neither');
  }
  if (raw.webrtcWsUrl !== undefined && raw.sipAgentDomain === undefined) {
    problems.push('WEBRTC_WS_URL needs SIP_AGENT_DOMAIN (the domain browser phones register in)');
  }
  return problems;
}

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
  problems.push(...sipProblems(raw), ...recordingStoreProblems(raw));
  if (problems.length > 0) throw new ConfigError(problems);
  const config = raw as Config;
  config.dataDir = path.resolve(config.dataDir);
  return config;
}
