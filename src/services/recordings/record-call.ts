import fs from 'node:fs';
import path from 'node:path';
import type { Tenant } from '../../db/tenant-scope.js';
import { RECORDING_PAUSES_CHANNEL, tenantRepositories } from '../../repositories/index.js';
import { CallRecorder, type RecordedFrame, type RecordingResult } from '../../telephony/media/index.js';
import { inTenantTransaction, systemContext, type ServiceDeps } from '../context.js';
import { PollingLoop } from '../job-worker.js';

/** The format every recording is written in (call-recorder.ts): customer left, agent right. */
export const RECORDING_FORMAT = 'wav-pcm16-stereo-8k';

/**
 * One call being recorded, as the process carrying its media sees it: feed it both sides' frames,
 * and `finish()` it when the call ends (the file goes to the store and the call log links it).
 */
export interface CallRecording {
  readonly uid: string;
  /** For RtpEndpoint.onAudio (or the parked port's tap) of the customer's leg. */
  readonly customer: (frame: RecordedFrame) => void;
  /** For RtpEndpoint.onAudio (or the parked port's tap) of the agent's leg. */
  readonly agent: (frame: RecordedFrame) => void;
  readonly paused: boolean;
  /** Ends the recording; never throws (a failure marks the recording failed and is reported). */
  finish(): Promise<void>;
}

export interface CallRecordings {
  /**
   * Starts recording a connected call if its campaign records (recording_mode `all`; `on_demand`
   * starts paused, until the agent resumes it from the desk); undefined if it does not, or if the
   * call already has a recording.
   */
  open(tenant: Tenant, callLogId: number): Promise<CallRecording | undefined>;
  /** `open` for the call the engine placed under this id (the call log's uid): the carrier's view. */
  openForCall(tenant: Tenant, callUid: string): Promise<CallRecording | undefined>;
  /** The recordings under way in this process. */
  readonly active: number;
  /** Follows the desk's pause and resume (and stops following when stopped); resolves once listening. */
  start(): Promise<void>;
  /** Finishes every recording under way (shutdown) and stops following the desk. */
  stop(): Promise<void>;
}

export interface CallRecordingsOptions {
  /**
   * How often the desk's pause requests are looked up for the recordings under way (default 250 ms):
   * the fallback should a desk's announcement (RECORDING_PAUSES_CHANNEL) be lost.
   */
  pollMs?: number;
  /** The recorder's monotonic clock (ms), for tests and the benchmark; performance.now by default. */
  monotonicNow?: () => number;
  onError?: (error: unknown) => void;
}

interface Open {
  id: number;
  tenant: Tenant;
  recorder: CallRecorder;
  finish(): Promise<void>;
}

function storageKey(contactCenterId: number, at: Date, uid: string): string {
  return `${contactCenterId}/${at.toISOString().slice(0, 7)}/${uid}.wav`;
}

/**
 * Recording of calls for the process that carries their media (the SIP carrier). Each recording is
 * a row (status `recording`) made when the call is opened, a WAV spooled in the data directory as
 * the call goes, and, when it ends, the file moved to the recording store and the row completed.
 * The desk's pause and resume reach the recorder through the row (`pause_requested`): desks talk to
 * any process, the media is in this one. The desk announces each change on commit, and the
 * recorder follows it then (a payment card read out right after the click must not be recorded);
 * the row is also looked up every `pollMs`, should an announcement be lost.
 */
export function recordingsFor(deps: ServiceDeps, options: CallRecordingsOptions = {}): CallRecordings {
  const open = new Map<number, Open>();
  const follow = async (recordings: Iterable<Open> = open.values()): Promise<void> => {
    const byTenant = new Map<number, Open[]>();
    for (const recording of recordings) {
      const list = byTenant.get(recording.tenant.contactCenterId) ?? [];
      list.push(recording);
      byTenant.set(recording.tenant.contactCenterId, list);
    }
    for (const [contactCenterId, list] of byTenant) {
      const wanted = await tenantRepositories(deps.db, { contactCenterId }).recordings.pauseRequests(
        list.map((r) => r.id),
      );
      for (const recording of list) {
        const pause = wanted.get(recording.id);
        if (pause === true) recording.recorder.pause();
        else if (pause === false) recording.recorder.resume();
      }
    }
  };
  const onAnnouncement = (payload: string): void => {
    const recording = open.get(Number(payload));
    if (recording) follow([recording]).catch((error: unknown) => options.onError?.(error));
  };
  let listening: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  const loop = new PollingLoop(() => follow(), {
    pollMs: options.pollMs ?? 250,
    ...(options.onError ? { onError: options.onError } : {}),
  });

  return {
    get active() {
      return open.size;
    },
    async start() {
      if (deps.listen) {
        listening = deps.listen(RECORDING_PAUSES_CHANNEL, onAnnouncement).catch((error: unknown) => {
          options.onError?.(error);
          return null;
        });
      }
      loop.start();
      await listening;
    },
    async stop() {
      const unlisten = await listening;
      listening = Promise.resolve(null);
      await unlisten?.();
      await loop.stop();
      await Promise.all([...open.values()].map((r) => r.finish()));
    },
    open(tenant, callLogId) {
      return openCall(tenant, { id: callLogId });
    },
    openForCall(tenant, callUid) {
      return openCall(tenant, { uid: callUid });
    },
  };

  async function openCall(
    tenant: Tenant,
    ref: { id: number } | { uid: string },
  ): Promise<CallRecording | undefined> {
    const ctx = systemContext(tenant.contactCenterId, 'recorder');
    const uid = deps.ids.uuid();
    const row = await inTenantTransaction(deps, ctx, async ({ repos, now }) => {
      const call =
        'id' in ref ? await repos.callLogs.getById(ref.id) : await repos.callLogs.getByUid(ref.uid);
      const campaign = await repos.campaigns.getById(call.campaign_id);
      if (campaign.recording_mode === 'none') return undefined;
      if (await repos.recordings.findForCall(call.id)) return undefined;
      return repos.recordings.insert({
        uid,
        call_log_id: call.id,
        campaign_id: call.campaign_id,
        contact_id: call.contact_id,
        agent_user_id: call.agent_user_id,
        format: RECORDING_FORMAT,
        storage_key: storageKey(tenant.contactCenterId, now, uid),
        pause_requested: campaign.recording_mode === 'on_demand',
        pauses: [],
        started_at: now,
        created_at: now,
        updated_at: now,
      });
    });
    if (!row) return undefined;
    await fs.promises.mkdir(deps.recordings.spoolDir, { recursive: true });
    const file = path.join(deps.recordings.spoolDir, `${uid}.wav`);
    const recorder = new CallRecorder({
      file,
      ...(options.monotonicNow ? { now: options.monotonicNow } : {}),
    });
    if (row.pause_requested) recorder.pause();
    let finished: Promise<void> | undefined;
    const entry: Open = {
      id: row.id,
      tenant,
      recorder,
      finish: () => {
        finished ??= complete(deps, ctx, row, recorder, () => open.delete(row.id)).catch((error: unknown) =>
          options.onError?.(error),
        );
        return finished;
      },
    };
    open.set(row.id, entry);
    return {
      uid,
      customer: recorder.listener('customer'),
      agent: recorder.listener('agent'),
      get paused() {
        return recorder.paused;
      },
      finish: entry.finish,
    };
  }
}

async function complete(
  deps: ServiceDeps,
  ctx: ReturnType<typeof systemContext>,
  row: { id: number; storage_key: string },
  recorder: CallRecorder,
  forget: () => void,
): Promise<void> {
  let result: RecordingResult | undefined;
  let failure: unknown;
  try {
    result = await recorder.stop();
    await deps.recordings.store.put(row.storage_key, fs.createReadStream(result.file), result.bytes);
  } catch (error) {
    failure = error;
  } finally {
    forget();
    await fs.promises.rm(recorder.file, { force: true });
  }
  await inTenantTransaction(deps, ctx, async ({ repos, now }) => {
    const current = await repos.recordings.getById(row.id);
    // Erased while the call went on: the file is not kept.
    if (current.status === 'deleted') {
      if (!failure) await deps.recordings.store.delete(row.storage_key);
      await repos.recordings.update(current.id, { purged_at: now }, now);
      return;
    }
    await repos.recordings.update(
      current.id,
      failure || !result
        ? { status: 'failed', ended_at: now }
        : {
            status: 'available',
            ended_at: now,
            byte_size: result.bytes,
            duration_ms: result.durationMs,
            pauses: result.pauses,
          },
      now,
    );
    if (!failure) await repos.recordings.markCallLog(current.call_log_id, true);
  });
  if (failure) throw failure;
}
