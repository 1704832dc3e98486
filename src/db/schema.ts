import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written by the application (from the injected clock) and read back as Dates. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;
type Id = Generated<number>;
type Version = Generated<number>;

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export interface ContactCentersTable {
  id: Id;
  /**
   * The integer id clients see (Exotel's contextId): random for centers created since migration
   * 0020, the key for older ones, so it says nothing of how many centers the server holds.
   */
  public_number: number;
  uid: string;
  short_name: string;
  name: string;
  default_country: string;
  time_zone: string;
  /** Days a call recording is kept before the retention worker deletes it (migration 0032). */
  recording_retention_days: Generated<number>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type Role = 'admin' | 'supervisor' | 'agent';

/** An external SIP phone registered under the extension, or the desk's browser phone. */
export type PhoneDevice = 'external' | 'browser';

export interface UsersTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  username: string;
  password_hash: string;
  full_name: Generated<string>;
  email: string | null;
  role: Role;
  extension: string | null;
  /** Which phone takes the user's calls (migration 0030). */
  phone_device: Generated<PhoneDevice>;
  status: Generated<'active' | 'disabled'>;
  last_login_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProcessesTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  uid: string;
  contact_center_id: number;
  name: string;
  description: Generated<string>;
  process_type: Generated<string>;
  dialing_state_level: Generated<string>;
  is_default: Generated<boolean>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type QueueStrategy = 'longest_idle' | 'round_robin' | 'ring_all' | 'single';

export interface QueuesTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  name: string;
  extension: string | null;
  strategy: Generated<QueueStrategy>;
  max_wait_seconds: Generated<number>;
  wrap_up_seconds: Generated<number>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QueueTag {
  id: string;
  name: string;
  color: string;
}

export interface QueueMembersTable {
  id: Id;
  contact_center_id: number;
  queue_id: number;
  user_id: number;
  delay_seconds: Generated<number>;
  timeout_seconds: Generated<number>;
  tags: Json<QueueTag[]>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DialingMode = 'preview' | 'progressive' | 'power' | 'predictive' | 'agentless';
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'stopped' | 'completed';
export type CampaignType = 'interaction' | 'notification';

/** A weekly window, days 0 (Sunday) to 6, times "HH:MM" in the owner's time zone. */
export interface WeeklyWindow {
  day: number;
  start: string;
  end: string;
}

export interface RetryRule {
  delay_minutes: number;
  counts_as_attempt: boolean;
}

export interface CampaignsTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  uid: string;
  contact_center_id: number;
  process_id: number;
  queue_id: number | null;
  name: string;
  description: Generated<string>;
  type: Generated<CampaignType>;
  dialing_mode: Generated<DialingMode>;
  status: Generated<CampaignStatus>;
  caller_id: string | null;
  agent_ref: string | null;
  time_zone: string;
  scheduled_at: Timestamp | null;
  ends_at: Timestamp | null;
  weekly_windows: Json<WeeklyWindow[]>;
  calling_hours_start: Generated<string>;
  calling_hours_end: Generated<string>;
  abandon_rate_cap: Generated<number>;
  lines_per_agent: Generated<number>;
  max_concurrent_calls: number | null;
  wrap_up_seconds: Generated<number>;
  /** An answered call's disposition must be given before the agent may end its wrap-up. */
  require_disposition: Generated<boolean>;
  /** Answering-machine detection on answered calls (carriers that can; the SIP carrier does). */
  machine_detection: Generated<boolean>;
  /** What a call answered by a machine gets: hung up on, or the campaign's message then hung up. */
  machine_action: Generated<MachineAction>;
  /** Which answered calls are recorded: none, all, or those the agent starts from the desk. */
  recording_mode: Generated<RecordingMode>;
  preview_timeout_seconds: Generated<number>;
  max_attempts: Generated<number>;
  retry_interval_minutes: Generated<number>;
  retry_rules: Json<Record<string, RetryRule>>;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  archived_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type MachineAction = 'hang_up' | 'play_message';
export type RecordingMode = 'none' | 'all' | 'on_demand';

/** A campaign's recording announcement: columns as its message's (migration 0032). */
export type CampaignAnnouncementsTable = CampaignMessagesTable;

export type RecordingStatus = 'recording' | 'available' | 'failed' | 'deleted';

/** A call's recording: a file in the recording store, named by `storage_key` (migration 0032). */
export interface RecordingsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  call_log_id: number;
  campaign_id: number;
  contact_id: number;
  agent_user_id: number | null;
  status: Generated<RecordingStatus>;
  format: string;
  storage_key: string;
  byte_size: number | null;
  duration_ms: number | null;
  /** Set by the agent's desk; the process recording the call follows it. */
  pause_requested: Generated<boolean>;
  /** Silent stretches, ms from the recording's start. */
  pauses: Json<{ startMs: number; endMs: number }[]>;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  deleted_at: Timestamp | null;
  deleted_reason: 'retention' | 'erasure' | null;
  /** When the file itself was removed from the store (after the row was marked deleted). */
  purged_at: Timestamp | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A campaign's recorded message, normalised to 8 kHz 16-bit mono WAV (migration 0019). */
export interface CampaignMessagesTable {
  id: Id;
  contact_center_id: number;
  campaign_id: number;
  file_name: string;
  duration_ms: number;
  byte_size: number;
  audio: Uint8Array;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignUsersTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  contact_center_id: number;
  campaign_id: number;
  user_id: number;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ApiKeyScope = 'read' | 'read_write';

export interface ApiKeysTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  name: string;
  scope: ApiKeyScope;
  key_hash: string;
  key_hint: string;
  created_by_user_id: number | null;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RefreshTokensTable {
  id: Id;
  contact_center_id: number;
  user_id: number;
  family_id: string;
  token_hash: string;
  issued_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginAttemptsTable {
  key_hash: string;
  window_start: Timestamp;
  attempts: number;
}

export interface StreamTicketsTable {
  ticket_hash: string;
  contact_center_id: number;
  user_id: number | null;
  session_id: string | null;
  api_key_id: number | null;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Id;
  contact_center_id: number;
  at: Timestamp;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
}

export interface LeadListsTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  uid: string;
  contact_center_id: number;
  name: string;
  description: Generated<string>;
  is_default: Generated<boolean>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type FetchOrder = 'priority' | 'oldest_first' | 'newest_first' | 'fewest_attempts_first';

export interface CampaignLeadListsTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  contact_center_id: number;
  campaign_id: number;
  lead_list_id: number;
  priority: Generated<number>;
  weightage: Generated<number>;
  enabled: Generated<boolean>;
  max_attempts: Generated<number>;
  churn_count: Generated<number>;
  fetch_order: Generated<FetchOrder>;
  dialing_enabled_at_all_times: Generated<boolean>;
  dialing_windows: Json<WeeklyWindow[]>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CampaignLeadListUsersTable {
  id: Id;
  /** 1, 2, … within the contact center (migration 0020): the integer id clients see. */
  number_in_center: Generated<number>;
  contact_center_id: number;
  campaign_lead_list_id: number;
  campaign_user_id: number;
  created_at: Timestamp;
}

export type ContactStatus =
  'new' | 'in_progress' | 'retry' | 'callback' | 'completed' | 'failed' | 'dnc' | 'removed';
export type TimeZoneSource = 'explicit' | 'number' | 'center_default';

export interface ContactsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  lead_list_id: number;
  campaign_id: number | null;
  phone_e164: string;
  phone_raw: string;
  phone_country: string | null;
  first_name: Generated<string>;
  last_name: Generated<string>;
  variables: Json<Record<string, string>>;
  ticket_id: string | null;
  note: string | null;
  type: string | null;
  priority: Generated<number>;
  max_retries: number | null;
  cool_off_seconds: number | null;
  time_zone: string;
  /** Every zone the contact may be in; `time_zone` is one of them. Calling hours hold in each. */
  time_zones: string[];
  time_zone_source: TimeZoneSource;
  status: Generated<ContactStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  last_outcome: string | null;
  last_call_log_id: number | null;
  callback_at: Timestamp | null;
  callback_user_id: number | null;
  import_job_id: number | null;
  lease_owner: Generated<string | null>;
  lease_expires_at: Generated<Date | null>;
  claimed_for_campaign_id: Generated<number | null>;
  removed_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DncEntriesTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  campaign_id: number | null;
  phone_e164: string;
  reason: Generated<string>;
  source: Generated<string>;
  created_at: Timestamp;
}

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';
export type DedupPolicy = 'skip' | 'update' | 'allow';
export type DedupScope = 'list' | 'campaign';

export interface ImportJobsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  campaign_id: number | null;
  lead_list_id: number;
  status: Generated<ImportStatus>;
  dedup_policy: DedupPolicy;
  dedup_scope: DedupScope;
  column_mapping: Json<Record<string, string>>;
  file_name: string;
  file_path: string;
  file_format: 'csv' | 'xlsx';
  rows_read: Generated<number>;
  accepted: Generated<number>;
  updated: Generated<number>;
  rejected: Generated<number>;
  duplicates: Generated<number>;
  dnc: Generated<number>;
  checkpoint_row: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  error: string | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ForecastStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A campaign forecast, run by a background worker (migration 0026); `inputs` and `result` are the service's shapes. */
export interface ForecastJobsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  campaign_id: number;
  /** Digest of the inputs: the same question about the same campaign is answered from a recent job. */
  inputs_key: string;
  inputs: Json<Record<string, unknown>>;
  status: Generated<ForecastStatus>;
  result: Json<Record<string, unknown>> | null;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ImportJobErrorsTable {
  id: Id;
  contact_center_id: number;
  import_job_id: number;
  line: number;
  raw_value: string;
  reason: string;
}

export interface EngineNodesTable {
  id: string;
  hostname: string;
  pid: number;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
}

/** A SIP dialog (or ringing INVITE) an engine process's carrier has up: what ending it takes (0018). */
export interface SipDialogsTable {
  id: Id;
  contact_center_id: number;
  sip_call_id: string;
  engine_node: string;
  sip_address: string;
  leg: 'customer' | 'agent';
  /** The engine's id of a customer's call. */
  call_ref: string | null;
  /** An agent's standing leg: the agent's extension. */
  extension: string | null;
  state: 'early' | 'confirmed';
  local_party: Json<SipParty>;
  remote_party: Json<SipParty>;
  remote_target: string;
  route_set: Json<SipParty[]>;
  local_seq: number;
  invite_via: Json<SipVia> | null;
  updated_at: Timestamp;
  swept_by: string | null;
  sweep_started_at: Timestamp | null;
  ended_at: Timestamp | null;
}

/** A From, To or Route header's value as the SIP stack models it. */
export interface SipParty {
  name?: string;
  uri: string;
  params: Record<string, string | null | undefined>;
}

export interface SipVia {
  version?: string;
  protocol?: string;
  host?: string;
  port?: number;
  params: Record<string, string | null | undefined>;
}

/** What became of one call: carrier outcomes, plus abandoned (no agent in time) and cancelled (never placed). */
export type CallOutcome =
  'answered' | 'machine' | 'no_answer' | 'busy' | 'invalid_number' | 'failed' | 'abandoned' | 'cancelled';
export type CallStatus = 'dialing' | 'answered' | 'connected' | 'ended';

export interface CallLogsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  campaign_id: number;
  lead_list_id: number;
  contact_id: number;
  phone_e164: string;
  caller_id: string | null;
  dialing_mode: DialingMode;
  engine_owner: string;
  attempt: number;
  agent_user_id: number | null;
  status: Generated<CallStatus>;
  outcome: CallOutcome | null;
  failure_reason: string | null;
  counts_as_attempt: boolean | null;
  disposition: string | null;
  disposition_note: string | null;
  callback_at: Timestamp | null;
  callback_user_id: number | null;
  dialed_at: Timestamp;
  answered_at: Timestamp | null;
  connected_at: Timestamp | null;
  ended_at: Timestamp | null;
  wrap_up_ended_at: Timestamp | null;
  /** The campaign message's version played on this call, if one was. */
  message_version: number | null;
  /** Whether the callee heard the message to its end, or hung up during it. */
  message_played: 'complete' | 'partial' | null;
  /** Whether a recording of the call can be played (migration 0032). */
  has_recording: Generated<boolean>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface LeadEventsTable {
  id: Id;
  contact_center_id: number;
  contact_id: number;
  campaign_id: number | null;
  call_log_id: number | null;
  agent_user_id: number | null;
  at: Timestamp;
  type: string;
  from_status: string | null;
  to_status: string | null;
  detail: Json<Record<string, unknown>>;
}

export type AgentSessionState = 'available' | 'reserved' | 'on_call' | 'wrap_up' | 'paused' | 'logged_out';
export type AgentRequestedState = 'available' | 'paused' | 'logged_out';
export type AgentRequestedAction =
  'preview_next' | 'preview_accept' | 'preview_skip' | 'hangup' | 'end_wrap_up';

export interface AgentSessionsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  user_id: number;
  campaign_id: number;
  state: AgentSessionState;
  state_since: Timestamp;
  idle_since: Timestamp;
  pause_reason: string | null;
  pending_pause_reason: string | null;
  call_log_id: number | null;
  wrap_up_deadline: Timestamp | null;
  preview_contact_id: number | null;
  preview_expires_at: Timestamp | null;
  requested_state: AgentRequestedState | null;
  requested_pause_reason: string | null;
  requested_action: AgentRequestedAction | null;
  engine_owner: string | null;
  engine_lease_expires_at: Timestamp | null;
  logged_in_at: Timestamp;
  logged_out_at: Timestamp | null;
  talk_ms: Generated<number>;
  wrap_up_ms: Generated<number>;
  calls_handled: Generated<number>;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One interval of an agent session in one state (migration 0027, written by a trigger). */
export interface AgentStateHistoryTable {
  id: Id;
  contact_center_id: number;
  session_id: number;
  user_id: number;
  campaign_id: number;
  state: Exclude<AgentSessionState, 'logged_out'>;
  pause_reason: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface CampaignStatsTable {
  contact_center_id: number;
  campaign_id: number;
  bucket_start: Timestamp;
  /** One of the bucket's rows (migration 0025): concurrent calls count on different rows. */
  shard: Generated<number>;
  dials: Generated<number>;
  person_answers: Generated<number>;
  machine_answers: Generated<number>;
  connected: Generated<number>;
  abandoned: Generated<number>;
  no_answer: Generated<number>;
  busy: Generated<number>;
  invalid_number: Generated<number>;
  failed: Generated<number>;
  talk_ms: Generated<number>;
}

/**
 * The period reports' pre-aggregates (migration 0033), kept by triggers on call_logs and
 * agent_state_history: calls by the quarter-hour they were dialled in, agents by the hour.
 * Durations in microseconds; jsonb maps are counts (or microseconds) by disposition or pause reason.
 */
export interface ReportCallQuartersTable {
  contact_center_id: number;
  campaign_id: number;
  bucket_start: Timestamp;
  shard: number;
  dials: Generated<number>;
  person_answers: Generated<number>;
  machine_answers: Generated<number>;
  connected: Generated<number>;
  abandoned: Generated<number>;
  no_answer: Generated<number>;
  busy: Generated<number>;
  failed: Generated<number>;
  talk_us: Generated<number>;
  talked_calls: Generated<number>;
  wrap_up_us: Generated<number>;
  wrapped_calls: Generated<number>;
}

export interface ReportDispositionQuartersTable {
  contact_center_id: number;
  campaign_id: number;
  bucket_start: Timestamp;
  disposition: string;
  calls: Generated<number>;
}

export interface ReportAgentCallHoursTable {
  contact_center_id: number;
  user_id: number;
  campaign_id: number;
  bucket_start: Timestamp;
  calls_handled: Generated<number>;
  dispositions: Generated<Record<string, number>>;
}

export interface ReportAgentStateHoursTable {
  contact_center_id: number;
  user_id: number;
  campaign_id: number;
  bucket_start: Timestamp;
  available_us: Generated<number>;
  reserved_us: Generated<number>;
  on_call_us: Generated<number>;
  wrap_up_us: Generated<number>;
  pauses: Generated<Record<string, number>>;
}

export interface WebhookSubscriptionsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  url: string;
  description: Generated<string>;
  event_types: string[];
  /** The signing secret: kept to sign, shown once at creation, never returned or logged after. */
  secret: string;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
  version: Version;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEventsTable {
  id: Id;
  uid: string;
  contact_center_id: number;
  type: string;
  occurred_at: Timestamp;
  /** Events of one key (a contact, a campaign, an import…) reach each receiver in order. */
  ordering_key: string;
  payload: Json<Record<string, unknown>>;
}

export type WebhookDeliveryState = 'pending' | 'delivered';

export interface WebhookDeliveriesTable {
  id: Id;
  contact_center_id: number;
  subscription_id: number;
  event_id: number;
  ordering_key: string;
  state: Generated<WebhookDeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  failing_since: Timestamp | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Timestamp;
}

export interface WebhookAttemptsTable {
  id: Id;
  contact_center_id: number;
  delivery_id: number;
  subscription_id: number;
  attempted_at: Timestamp;
  outcome: 'delivered' | 'failed';
  status_code: number | null;
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
}

export interface DB {
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  engine_nodes: EngineNodesTable;
  sip_dialogs: SipDialogsTable;
  call_logs: CallLogsTable;
  lead_events: LeadEventsTable;
  agent_sessions: AgentSessionsTable;
  agent_state_history: AgentStateHistoryTable;
  campaign_stats: CampaignStatsTable;
  report_call_quarters: ReportCallQuartersTable;
  report_disposition_quarters: ReportDispositionQuartersTable;
  report_agent_call_hours: ReportAgentCallHoursTable;
  report_agent_state_hours: ReportAgentStateHoursTable;
  lead_lists: LeadListsTable;
  campaign_lead_lists: CampaignLeadListsTable;
  campaign_lead_list_users: CampaignLeadListUsersTable;
  contacts: ContactsTable;
  dnc_entries: DncEntriesTable;
  import_jobs: ImportJobsTable;
  import_job_errors: ImportJobErrorsTable;
  forecast_jobs: ForecastJobsTable;
  server_secrets: ServerSecretsTable;
  contact_centers: ContactCentersTable;
  users: UsersTable;
  processes: ProcessesTable;
  queues: QueuesTable;
  queue_members: QueueMembersTable;
  campaigns: CampaignsTable;
  campaign_users: CampaignUsersTable;
  campaign_messages: CampaignMessagesTable;
  campaign_announcements: CampaignAnnouncementsTable;
  recordings: RecordingsTable;
  api_keys: ApiKeysTable;
  refresh_tokens: RefreshTokensTable;
  login_attempts: LoginAttemptsTable;
  stream_tickets: StreamTicketsTable;
  audit_log: AuditLogTable;
}

/** Tables whose rows belong to one contact center; every query on them goes through TenantScope. */
export type TenantTable = {
  [K in keyof DB]: DB[K] extends { contact_center_id: number } ? K : never;
}[keyof DB];

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowPatch<T extends keyof DB> = Updateable<DB[T]>;
export type ContactCenter = Row<'contact_centers'>;
export type User = Row<'users'>;
export type Process = Row<'processes'>;
export type Campaign = Row<'campaigns'>;
export type Queue = Row<'queues'>;
export type QueueMember = Row<'queue_members'>;
export type CampaignUser = Row<'campaign_users'>;
export type CampaignMessage = Row<'campaign_messages'>;
export type CampaignAnnouncement = Row<'campaign_announcements'>;
export type Recording = Row<'recordings'>;
export type ApiKey = Row<'api_keys'>;
export type LeadList = Row<'lead_lists'>;
export type CampaignLeadList = Row<'campaign_lead_lists'>;
export type Contact = Row<'contacts'>;
export type DncEntry = Row<'dnc_entries'>;
export type ImportJob = Row<'import_jobs'>;
export type CallLog = Row<'call_logs'>;
export type ForecastJob = Row<'forecast_jobs'>;
export type LeadEvent = Row<'lead_events'>;
export type AgentSession = Row<'agent_sessions'>;
export type CampaignStats = Row<'campaign_stats'>;
export type SipDialog = Row<'sip_dialogs'>;
export type WebhookSubscription = Row<'webhook_subscriptions'>;
export type WebhookAttempt = Row<'webhook_attempts'>;
