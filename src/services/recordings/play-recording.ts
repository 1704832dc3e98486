import type { Readable } from 'node:stream';
import type { Recording } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { describeRecording } from './describe-recording.js';
import type { ByteRange } from './recording-store.js';

export interface RecordingPlayback {
  recording: Recording;
  /** The whole file's size, for Content-Range. */
  byteSize: number;
  /** The requested bytes (or the whole file). */
  body: Readable;
}

/**
 * A call's recording for playback or download, whole or a range of bytes. Every request is
 * audited (`recording.play`, with the range), in the request's center only: another center's call,
 * a call without a recording and a deleted recording are all 404. The caller checks the range
 * against `byteSize` first (`recordingSize`), so a bad range is refused before anything is audited.
 */
export async function playRecording(
  deps: ServiceDeps,
  ctx: RequestContext,
  callLogUid: string,
  range: ByteRange | undefined,
): Promise<RecordingPlayback> {
  const recording = await inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const call = await repos.callLogs.getByUid(callLogUid);
    const found = await repos.recordings.findForCall(call.id);
    if (!found || found.status !== 'available' || found.byte_size === null) throw notFound('Recording');
    await audit('recording.play', 'call_log', toPublicId('callLog', call.uid), null, {
      recording: found.uid,
      bytes: range ? `${range.start}-${range.end}` : 'all',
    });
    return found;
  });
  const body = await deps.recordings.store.get(recording.storage_key, range);
  return { recording, byteSize: Number(recording.byte_size), body };
}

/** The size of a call's recording (404 as for playRecording), to check a range before playing. */
export async function recordingSize(
  deps: ServiceDeps,
  ctx: RequestContext,
  callLogUid: string,
): Promise<number> {
  return Number((await describeRecording(deps, ctx, callLogUid)).byte_size);
}
