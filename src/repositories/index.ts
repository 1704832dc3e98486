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

/** Every tenant-scoped repository, bound to one executor (database or transaction) and one tenant. */
export function tenantRepositories(db: Executor, tenant: Tenant) {
  const scope = new TenantScope(db, tenant);
  return {
    scope,
    users: new UsersRepository(scope),
    processes: new ProcessesRepository(scope),
    campaigns: new CampaignsRepository(scope),
    campaignUsers: new CampaignUsersRepository(scope),
    campaignMessages: new CampaignMessagesRepository(scope),
    queues: new QueuesRepository(scope),
    apiKeys: new ApiKeysRepository(scope),
    audit: new AuditRepository(scope),
    leadLists: new LeadListsRepository(scope),
    campaignLeadLists: new CampaignLeadListsRepository(scope),
    contacts: new ContactsRepository(scope),
    contactBatches: new ContactBatchesRepository(scope),
    dnc: new DncRepository(scope),
    imports: new ImportJobsRepository(scope),
    agentSessions: new AgentSessionsRepository(scope),
    callLogs: new CallLogsRepository(scope),
    campaignStats: new CampaignStatsRepository(scope),
    dialing: new DialingRepository(scope),
    leadEvents: new LeadEventsRepository(scope),
    campaignEligibility: new CampaignEligibilityRepository(scope),
    campaignProgress: new CampaignProgressRepository(scope),
    hopper: new HopperRepository(scope),
    sipDialogs: new SipDialogsRepository(scope),
    webhookSubscriptions: new WebhookSubscriptionsRepository(scope),
    webhookOutbox: new WebhookOutboxRepository(scope),
    webhookDeliveries: new WebhookDeliveriesRepository(scope),
    reports: new ReportsRepository(scope),
    traffic: new TrafficRepository(scope),
    forecasts: new ForecastJobsRepository(scope),
    recordings: new RecordingsRepository(scope),
    campaignAnnouncements: new CampaignAnnouncementsRepository(scope),
  };
}
export type TenantRepositories = ReturnType<typeof tenantRepositories>;

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
