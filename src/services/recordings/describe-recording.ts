import type { Recording } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * A call's recording described, for its timeline: its length and the stretches the agent paused
 * (silent in the file). The same 404s as playback (another center's call, no recording, deleted);
 * not audited, since no audio is given out.
 */
export async function describeRecording(
  deps: ServiceDeps,
  ctx: RequestContext,
  callLogUid: string,
): Promise<Recording> {
  const repos = tenantReader(deps, ctx);
  const call = await repos.callLogs.getByUid(callLogUid);
  const found = await repos.recordings.findForCall(call.id);
  if (!found || found.status !== 'available' || found.byte_size === null) throw notFound('Recording');
  return found;
}
