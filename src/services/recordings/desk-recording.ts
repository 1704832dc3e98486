import type { Recording } from '../../db/schema.js';
import { conflict, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { actingUserId } from '../agents/acting-user.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/** What the desk shows of the recording of the agent's call: whether there is one, and whether it is paused. */
export interface DeskRecordingState {
  recording: boolean;
  paused: boolean;
}

/** The recording of the call the acting agent is on now, if it is being recorded. */
async function recordingOfAgentsCall(
  repos: ReturnType<typeof tenantReader>,
  userId: number,
): Promise<Recording | undefined> {
  const session = await repos.agentSessions.findOpenByUser(userId);
  if (!session || session.state !== 'on_call' || session.call_log_id === null) return undefined;
  const recording = await repos.recordings.findForCall(session.call_log_id);
  return recording?.status === 'recording' ? recording : undefined;
}

export async function deskRecordingState(
  deps: ServiceDeps,
  ctx: RequestContext,
): Promise<DeskRecordingState> {
  const recording = await recordingOfAgentsCall(tenantReader(deps, ctx), actingUserId(ctx));
  return { recording: recording !== undefined, paused: recording?.pause_requested ?? false };
}

/**
 * The agent pauses (or resumes) the recording of the call they are on, for a sensitive moment
 * (payment details); with recording on demand, resuming is how the agent starts it. Only the
 * agent on the call can (another user has no such call: 409), and each change is audited. The
 * process carrying the call's media hears of it when this commits (record-call.ts).
 */
export function setRecordingPaused(
  deps: ServiceDeps,
  ctx: RequestContext,
  paused: boolean,
): Promise<DeskRecordingState> {
  const userId = actingUserId(ctx);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const recording = await recordingOfAgentsCall(repos, userId);
    if (!recording) {
      if (!(await repos.agentSessions.findOpenByUser(userId))) throw notFound('Open agent session');
      throw conflict('You are not on a recorded call');
    }
    if (recording.pause_requested !== paused) {
      const { after } = await repos.recordings.update(recording.id, { pause_requested: paused }, now);
      await repos.recordings.announcePauseChange(recording.id);
      const call = await repos.callLogs.getById(recording.call_log_id);
      await audit(
        paused ? 'recording.pause' : 'recording.resume',
        'call_log',
        toPublicId('callLog', call.uid),
        { paused: recording.pause_requested },
        { paused: after.pause_requested, recording: recording.uid },
      );
    }
    return { recording: true, paused };
  });
}
