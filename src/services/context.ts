import type { Config } from '../config.js';
import type { OpenBulkSession } from '../db/bulk-session.js';
import type { Database, Executor } from '../db/database.js';
import type { Listen } from '../db/notifications.js';
import type { Tenant } from '../db/tenant-scope.js';
import type { Principal } from '../domain/permissions.js';
import { tenantRepositories, type TenantRepositories } from '../repositories/index.js';
import type { Clock, IdGenerator } from '../seams.js';
import type { RecordingStore } from './recordings/recording-store.js';
import { publishEvents, type OutgoingEvent } from './webhooks/publish-events.js';
import type { WebhookTargetPolicy } from './webhooks/target-guard.js';

export type AuthSettings = Pick<
  Config,
  'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds' | 'passwordHashCost' | 'loginRateLimitPerMinute'
> & { jwtSecret: string };

/** What every service needs from the outside world, injected once at start-up. */
export interface ServiceDeps {
  db: Database;
  /** A connection held for a long job, with COPY (imports). */
  openBulkSession: OpenBulkSession;
  /** Notifications from every process sharing the database (the engine hears its desks' requests). */
  listen?: Listen;
  clock: Clock;
  ids: IdGenerator;
  auth: AuthSettings;
  /** Where uploaded files are kept (imports), under the data directory. */
  storageDir: string;
  /**
   * Call recordings: the store holding their files, and the local directory a call's WAV is written
   * to while it is recorded (moved to the store when the call ends).
   */
  recordings: { store: RecordingStore; spoolDir: string };
  /** An upload whose body stops arriving for this long is refused (408) and its file discarded. */
  uploadIdleTimeoutMs: number;
  /**
   * Agentless campaigns must have a recorded message before they dial: the carrier plays real
   * recordings (OUTDIAL_CARRIER=sip). The simulated carrier only pretends to play one.
   */
  requireRecordedMessage?: boolean;
  /** Webhook targets: whether private addresses are allowed (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  webhookTargets: WebhookTargetPolicy;
  /** The dialer engine running in this process, if any: agents' desk requests reach it at once. */
  engine?: EngineLink;
  /** The operators' log of business events (the server's pino logger); none when unset. */
  log?: BusinessLog;
  /** The desk's browser phone (WEBRTC_*), when this deployment offers one. */
  browserPhone?: BrowserPhoneSettings;
}

/**
 * Business events in the log (campaign started or paused, import finished, engine process lost,
 * webhook subscription disabled), written once the change is committed: fields name the event,
 * the contact center and the records by their public ids; never a secret.
 */
export interface BusinessLog {
  info(fields: { event: string; contactCenter?: number } & Record<string, unknown>, message: string): void;
  warn(fields: { event: string; contactCenter?: number } & Record<string, unknown>, message: string): void;
}

/**
 * What one engine process has done since it started, counted in memory (so /metrics needs no
 * database read for them): its claims of contacts and their time, its lease renewals and their
 * time, and what each campaign's read-ahead holds now.
 */
export interface EngineProcessFigures {
  /** Contacts held ahead of demand now, per campaign (public id). */
  readAhead: { campaign: string; held: number }[];
  claims: number;
  contactsClaimed: number;
  claimSeconds: number;
  leaseRenewals: number;
  leaseRenewalSeconds: number;
}

/** Where browser phones register, and how their short-lived SIP credentials are made. */
export interface BrowserPhoneSettings {
  wsUrl: string;
  /** Shared with Kamailio's auth_ephemeral. */
  secret: string;
  /** The SIP domain agents' phones register in (SIP_AGENT_DOMAIN). */
  domain: string;
  ttlSeconds: number;
}

/** What services may ask of the engine host running in the same process. */
export interface EngineLink {
  /** This process's engine figures for /metrics: read-ahead per campaign, claims and lease renewals. */
  figures(): EngineProcessFigures;
  /** Carries out an agent session's pending desk requests now, if this process's engine owns the session. */
  applyAgentRequests(
    contactCenterId: number,
    sessionUid: string,
  ): Promise<{ handled: boolean; refusal: Error | null }>;
}

/** Who is acting, for which contact center; passed explicitly to every tenant service. */
export interface RequestContext {
  tenant: Tenant;
  principal: Principal | SystemActor;
  requestId?: string;
}

export interface SystemActor {
  kind: 'system';
  contactCenterId: number;
  name: string;
}

export function systemContext(contactCenterId: number, name = 'system'): RequestContext {
  return { tenant: { contactCenterId }, principal: { kind: 'system', contactCenterId, name } };
}

/** Who acts, as the audit log names them. */
export function actorOf(ctx: RequestContext): { type: string; id: string | null } {
  const p = ctx.principal;
  if (p.kind === 'user') return { type: 'user', id: p.username };
  if (p.kind === 'api_key') return { type: 'api_key', id: p.apiKeyUid };
  return { type: 'system', id: p.name };
}

export interface TenantWork {
  repos: TenantRepositories;
  trx: Executor;
  now: Date;
  /** Records one change in the audit log, in the same transaction as the change. */
  audit(action: string, entityType: string, entityId: string, before: unknown, after: unknown): Promise<void>;
  /** Puts webhook events in the outbox, in the same transaction as the change they report. */
  publish(events: OutgoingEvent[]): Promise<void>;
}

/** Runs a use case in one transaction with repositories scoped to the context's tenant. */
export function inTenantTransaction<T>(
  deps: ServiceDeps,
  ctx: RequestContext,
  work: (w: TenantWork) => Promise<T>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    const actor = actorOf(ctx);
    return work({
      repos,
      trx,
      now,
      audit: (action, entityType, entityId, before, after) =>
        repos.audit.record({
          at: now,
          actorType: actor.type,
          actorId: actor.id,
          action,
          entityType,
          entityId,
          before: redact(before),
          after: redact(after),
          requestId: ctx.requestId ?? null,
        }),
      publish: (events) => publishEvents(repos, deps.ids, now, events),
    });
  });
}

/**
 * Read-only use cases need no transaction. The repositories are built once per request (per
 * context), not once per service call: a request's reads share them.
 */
export function tenantReader(deps: ServiceDeps, ctx: RequestContext): TenantRepositories {
  const known = readers.get(ctx);
  if (known && known.db === deps.db && known.contactCenterId === ctx.tenant.contactCenterId)
    return known.repos;
  const repos = tenantRepositories(deps.db, ctx.tenant);
  readers.set(ctx, { db: deps.db, contactCenterId: ctx.tenant.contactCenterId, repos });
  return repos;
}

const readers = new WeakMap<
  RequestContext,
  { db: Database; contactCenterId: number; repos: TenantRepositories }
>();

const SECRET_FIELDS = new Set(['password_hash', 'key_hash', 'token_hash', 'secret']);

function redact(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_FIELDS.has(k)));
}
