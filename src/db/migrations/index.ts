import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_leads.js';
import * as m0003 from './0003_hopper.js';
import * as m0004 from './0004_engine.js';
import * as m0005 from './0005_import_dedup_indexes.js';
import * as m0007 from './0007_dialects.js';
import * as m0010 from './0010_dialect_reports.js';
import * as m0011 from './0011_hopper_speed.js';
import * as m0015 from './0015_callee_time_zones.js';
import * as m0016 from './0016_required_disposition.js';
import * as m0017 from './0017_security.js';
import * as m0018 from './0018_sip_dialogs.js';
import * as m0019 from './0019_campaign_messages.js';
import * as m0020 from './0020_numbers_in_center.js';
import * as m0021 from './0021_webhooks.js';
import * as m0022 from './0022_report_indexes.js';
import * as m0025 from './0025_stats_shards.js';
import * as m0026 from './0026_forecast_jobs.js';
import * as m0027 from './0027_agent_state_history.js';
import * as m0028 from './0028_webhook_claim_order.js';
import * as m0030 from './0030_phone_device.js';
import * as m0032 from './0032_recordings.js';
import * as m0033 from './0033_report_stats.js';

/**
 * Forward-only migrations, applied in name order. Never edit a released migration: add the next
 * number. Each module exports only `up`.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_leads': m0002,
  '0003_hopper': m0003,
  '0004_engine': m0004,
  '0005_import_dedup_indexes': m0005,
  '0007_dialects': m0007,
  '0010_dialect_reports': m0010,
  '0011_hopper_speed': m0011,
  '0015_callee_time_zones': m0015,
  '0016_required_disposition': m0016,
  '0017_security': m0017,
  '0018_sip_dialogs': m0018,
  '0019_campaign_messages': m0019,
  '0020_numbers_in_center': m0020,
  '0021_webhooks': m0021,
  '0022_report_indexes': m0022,
  '0025_stats_shards': m0025,
  '0026_forecast_jobs': m0026,
  '0027_agent_state_history': m0027,
  '0028_webhook_claim_order': m0028,
  '0030_phone_device': m0030,
  '0032_recordings': m0032,
  '0033_report_stats': m0033,
};
