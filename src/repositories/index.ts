import type { Executor } from '../db/database.js';
import { TenantScope, type Tenant } from '../db/tenant-scope.js';
import { ApiKeysRepository } from './api-keys.repository.js';
import { AuditRepository } from './audit.repository.js';
import { CampaignUsersRepository } from './campaign-users.repository.js';
import {
  CampaignAnnouncementsRepository,
  CampaignMessagesRepository,
} from './campaign-messages.repository.js';
import { CampaignsRepository } from './campaigns.repository.js';
import { ProcessesRepository } from './processes.repository.js';
import { QueuesRepository } from './queues.repository.js';
import { UsersRepository } from './users.repository.js';
import { ContactBatchesRepository } from './contact-batches.repository.js';
import { ContactsRepository } from './contacts.repository.js';
import { DncRepository } from './dnc.repository.js';
import { ImportJobsRepository } from './imports.repository.js';
import { CampaignLeadListsRepository, LeadListsRepository } from './lead-lists.repository.js';
import { AgentSessionsRepository } from './agent-sessions.repository.js';
export { DESK_REQUESTS_CHANNEL, type DeskWake } from './agent-sessions.repository.js';
export { RECORDING_PAUSES_CHANNEL } from './recordings.repository.js';
import { CallLogsRepository } from './call-logs.repository.js';
import { CampaignStatsRepository } from './campaign-stats.repository.js';
import { DialingRepository } from './dialing.repository.js';
import { LeadEventsRepository } from './lead-events.repository.js';
import { CampaignEligibilityRepository } from './campaign-eligibility.repository.js';
import { CampaignProgressRepository } from './campaign-progress.repository.js';
import { HopperRepository } from './hopper.repository.js';
import { ContactCentersRepository } from './contact-centers.repository.js';
import { ReportsRepository } from './reports.repository.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { EngineRepository } from './engine.repository.js';
import { SipDialogSweepRepository, SipDialogsRepository } from './sip-dialogs.repository.js';
import { findApiKeyByHash, findApiKeyById, touchApiKey } from './api-keys.repository.js';
import { LoginAttemptsRepository } from './login-attempts.repository.js';
import { StreamTicketsRepository } from './stream-tickets.repository.js';
import { claimNextImport } from './imports.repository.js';
import { claimNextForecast, ForecastJobsRepository } from './forecast-jobs.repository.js';
import { claimExpiringRecordings, RecordingsRepository } from './recordings.repository.js';
import { TrafficRepository } from './traffic.repository.js';
import { getOrCreateSecret } from './server-secrets.repository.js';
import { pingDatabase } from './health.repository.js';
import { readOperationalFigures } from './metrics.repository.js';
import {
  claimDueDeliveries,
  recordDeliveredBatch,
  recordDeliveryAttempt,
  WebhookDeliveriesRepository,
  WebhookOutboxRepository,
  WebhookSubscriptionsRepository,
  type AttemptRecord,
} from './webhooks.repository.js';

/** Every tenant-scoped repository, by the name services reach it by. */
const TENANT_REPOSITORIES = {
  users: UsersRepository,
  processes: ProcessesRepository,
  campaigns: CampaignsRepository,
  campaignUsers: CampaignUsersRepository,
  campaignMessages: CampaignMessagesRepository,
  queues: QueuesRepository,
  apiKeys: ApiKeysRepository,
  audit: AuditRepository,
  leadLists: LeadListsRepository,
  campaignLeadLists: CampaignLeadListsRepository,
  contacts: ContactsRepository,
  contactBatches: ContactBatchesRepository,
  dnc: DncRepository,
  imports: ImportJobsRepository,
  agentSessions: AgentSessionsRepository,
  callLogs: CallLogsRepository,
  campaignStats: CampaignStatsRepository,
  dialing: DialingRepository,
  leadEvents: LeadEventsRepository,
  campaignEligibility: CampaignEligibilityRepository,
  campaignProgress: CampaignProgressRepository,
  hopper: HopperRepository,
  sipDialogs: SipDialogsRepository,
  webhookSubscriptions: WebhookSubscriptionsRepository,
  webhookOutbox: WebhookOutboxRepository,
  webhookDeliveries: WebhookDeliveriesRepository,
  reports: ReportsRepository,
  traffic: TrafficRepository,
  forecasts: ForecastJobsRepository,
  recordings: RecordingsRepository,
  campaignAnnouncements: CampaignAnnouncementsRepository,
} satisfies Record<string, new (scope: TenantScope) => object>;

type Built = {
  -readonly [K in keyof typeof TENANT_REPOSITORIES]?: InstanceType<(typeof TENANT_REPOSITORIES)[K]>;
};

/**
 * The repositories of one scope, each built the first time it is used: a request or a
 * transaction uses two or three of the 31 (building them all was a measurable part of a read's
 * cost, issue 24).
 */
class ScopedRepositories {
  readonly built: Built = {};
  constructor(readonly scope: TenantScope) {}
}
for (const [name, Repository] of Object.entries(TENANT_REPOSITORIES) as [
  keyof Built,
  new (scope: TenantScope) => object,
][])
  Object.defineProperty(ScopedRepositories.prototype, name, {
    get(this: ScopedRepositories) {
      return (this.built[name] ??= new Repository(this.scope) as never);
    },
  });

export type TenantRepositories = { readonly scope: TenantScope } & {
  readonly [K in keyof typeof TENANT_REPOSITORIES]: InstanceType<(typeof TENANT_REPOSITORIES)[K]>;
};

/** Every tenant-scoped repository, bound to one executor (database or transaction) and one tenant. */
export function tenantRepositories(db: Executor, tenant: Tenant): TenantRepositories {
  return new ScopedRepositories(new TenantScope(db, tenant)) as unknown as TenantRepositories;
}

/**
 * The repositories that work before a tenant is known or across tenants (see ARCHITECTURE.md,
 * Tenancy): the centers themselves, credential look-ups, the engine's housekeeping (and the SIP
 * carrier's sweep of dead processes' dialogs), the import
 * queue and the webhook delivery queue shared by every process, the server's own secrets and the
 * readiness probe.
 * and forecast queues shared by every process, the server's own secrets and the readiness probe.
 */
export function sharedRepositories(db: Executor) {
  return {
    contactCenters: new ContactCentersRepository(db),
    refreshTokens: new RefreshTokensRepository(db),
    engine: new EngineRepository(db),
    sipDialogSweep: new SipDialogSweepRepository(db),
    loginAttempts: new LoginAttemptsRepository(db),
    streamTickets: new StreamTicketsRepository(db),
    apiKeys: {
      findById: (id: number) => findApiKeyById(db, id),
      findByHash: (keyHash: string) => findApiKeyByHash(db, keyHash),
      touch: (id: number, now: Date) => touchApiKey(db, id, now),
    },
    importQueue: {
      claimNext: (owner: string, now: Date, leaseMs: number, onlyJobId?: number) =>
        claimNextImport(db, owner, now, leaseMs, onlyJobId),
    },
    forecastQueue: {
      claimNext: (owner: string, now: Date, leaseMs: number, onlyJobId?: number) =>
        claimNextForecast(db, owner, now, leaseMs, onlyJobId),
    },
    recordingRetention: {
      claim: (owner: string, now: Date, leaseMs: number, limit: number) =>
        claimExpiringRecordings(db, owner, now, leaseMs, limit),
    },
    serverSecrets: {
      getOrCreate: (name: string, generate: () => string) => getOrCreateSecret(db, name, generate),
    },
    webhookQueue: {
      claimDue: (owner: string, now: Date, leaseMs: number, limit: number) =>
        claimDueDeliveries(db, owner, now, leaseMs, limit),
      record: (
        delivery: { id: number; contactCenterId: number; subscriptionId: number },
        owner: string,
        attempt: AttemptRecord,
        nextAttemptAt: Date | null,
      ) => recordDeliveryAttempt(db, delivery, owner, attempt, nextAttemptAt),
      recordDelivered: (owner: string, accepted: Parameters<typeof recordDeliveredBatch>[2]) =>
        recordDeliveredBatch(db, owner, accepted),
    },
    operationalFigures: (now: Date, engineLeaseMs: number) => readOperationalFigures(db, now, engineLeaseMs),
    ping: () => pingDatabase(db),
  };
}
