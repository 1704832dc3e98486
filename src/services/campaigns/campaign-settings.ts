import type {
  Campaign,
  CampaignType,
  DialingMode,
  MachineAction,
  RecordingMode,
  RetryRule,
  WeeklyWindow,
} from '../../db/schema.js';
import { invalid } from '../../domain/errors.js';
import { isClockTime, requireTimeZone } from '../../domain/validation.js';

/** Campaign settings a client may set on create and update (service vocabulary, camelCase). */
export interface CampaignSettingsInput {
  name?: string;
  description?: string;
  processId?: number;
  queueId?: number | null;
  type?: CampaignType;
  dialingMode?: DialingMode;
  callerId?: string | null;
  agentRef?: string | null;
  timeZone?: string;
  scheduledAt?: Date | null;
  endsAt?: Date | null;
  weeklyWindows?: WeeklyWindow[];
  callingHours?: { start: string; end: string };
  abandonRateCap?: number;
  linesPerAgent?: number;
  maxConcurrentCalls?: number | null;
  wrapUpSeconds?: number;
  requireDisposition?: boolean;
  machineDetection?: boolean;
  machineAction?: MachineAction;
  recordingMode?: RecordingMode;
  previewTimeoutSeconds?: number;
  maxAttempts?: number;
  retryIntervalMinutes?: number;
  retryRules?: Record<string, RetryRule>;
}

/** Checks the settings' rules and turns them into a column patch. */
export function campaignPatch(input: CampaignSettingsInput): Partial<Campaign> {
  const problems: string[] = [];
  const patch: Partial<Campaign> = {};
  const set = <K extends keyof Campaign>(key: K, value: Campaign[K] | undefined) => {
    if (value !== undefined) patch[key] = value;
  };
  set('name', input.name);
  set('description', input.description);
  set('process_id', input.processId);
  set('queue_id', input.queueId);
  set('type', input.type);
  set('dialing_mode', input.dialingMode);
  set('caller_id', input.callerId);
  set('agent_ref', input.agentRef);
  if (input.timeZone !== undefined) set('time_zone', requireTimeZone(input.timeZone));
  set('scheduled_at', input.scheduledAt);
  set('ends_at', input.endsAt);
  if (input.weeklyWindows !== undefined) {
    input.weeklyWindows.forEach((w, i) => {
      if (!isClockTime(w.start) || !isClockTime(w.end) || w.start >= w.end) {
        problems.push(`weekly_windows[${i}]: start and end must be HH:MM with start before end`);
      }
    });
    set('weekly_windows', input.weeklyWindows);
  }
  if (input.callingHours !== undefined) {
    const { start, end } = input.callingHours;
    if (!isClockTime(start) || !isClockTime(end) || start >= end) {
      problems.push('calling_hours: start and end must be HH:MM with start before end');
    }
    set('calling_hours_start', start);
    set('calling_hours_end', end);
  }
  set('abandon_rate_cap', input.abandonRateCap);
  set('lines_per_agent', input.linesPerAgent);
  set('max_concurrent_calls', input.maxConcurrentCalls);
  set('wrap_up_seconds', input.wrapUpSeconds);
  set('require_disposition', input.requireDisposition);
  set('machine_detection', input.machineDetection);
  set('machine_action', input.machineAction);
  set('recording_mode', input.recordingMode);
  set('preview_timeout_seconds', input.previewTimeoutSeconds);
  set('max_attempts', input.maxAttempts);
  set('retry_interval_minutes', input.retryIntervalMinutes);
  set('retry_rules', input.retryRules);
  if (input.scheduledAt && input.endsAt && input.scheduledAt >= input.endsAt) {
    problems.push('ends_at must be after scheduled_at');
  }
  if (problems.length) throw invalid('Invalid campaign settings', problems);
  return patch;
}
