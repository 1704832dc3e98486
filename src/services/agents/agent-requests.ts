import type { AgentRequestedAction, AgentSession, RowPatch } from '../../db/schema.js';
import { conflict, notFound } from '../../domain/errors.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { agentStateEvent } from '../webhooks/publish-events.js';
import { actingUserId } from './acting-user.js';

export type DeskRequest =
  | { kind: 'pause'; reason: string }
  | { kind: 'resume' }
  | { kind: 'logout' }
  | { kind: 'action'; action: AgentRequestedAction };

/** What each request needs the agent's state to be, checked before it is sent to the engine. */
function refusal(session: AgentSession, request: DeskRequest): string | null {
  const state = session.state;
  switch (request.kind) {
    case 'pause':
      return null;
    case 'resume':
      return state === 'paused' || session.pending_pause_reason !== null ? null : 'You are not paused';
    case 'logout':
      // A reservation is the engine's doing (finding or placing a call for the agent), not a call
      // the agent can finish: the engine logs them out when it ends, or after the call it became.
      return state === 'available' ||
        state === 'paused' ||
        state === 'reserved' ||
        session.requested_state === 'logged_out'
        ? null
        : 'Finish your call and wrap-up before logging out';
    case 'action':
      switch (request.action) {
        case 'preview_next':
          return state === 'available' ? null : `You cannot take a preview while ${state.replace('_', ' ')}`;
        case 'preview_accept':
        case 'preview_skip':
          return session.preview_contact_id !== null ? null : 'You have no contact in preview';
        case 'hangup':
          return state === 'on_call' ? null : 'You have no call to end';
        case 'end_wrap_up':
          return state === 'wrap_up' ? null : 'You are not in wrap-up';
      }
  }
}

/** A change made directly to a session no engine process owns (only state changes can be). */
function directChange(
  session: AgentSession,
  request: DeskRequest,
  now: Date,
): RowPatch<'agent_sessions'> | null {
  switch (request.kind) {
    case 'pause':
      return session.state === 'available'
        ? { state: 'paused', state_since: now, pause_reason: request.reason }
        : { pending_pause_reason: request.reason };
    case 'resume':
      return session.state === 'paused'
        ? {
            state: 'available',
            state_since: now,
            idle_since: now,
            pause_reason: null,
            pending_pause_reason: null,
          }
        : { pending_pause_reason: null };
    case 'logout':
      return { state: 'logged_out', state_since: now, logged_out_at: now, preview_contact_id: null };
    case 'action':
      if (request.action === 'end_wrap_up') {
        return session.pending_pause_reason !== null
          ? {
              state: 'paused',
              state_since: now,
              pause_reason: session.pending_pause_reason,
              pending_pause_reason: null,
            }
          : { state: 'available', state_since: now, idle_since: now, call_log_id: null };
      }
      return null;
  }
}

/** The campaign requires a disposition and the agent has not given one for the call in wrap-up. */
async function missingDisposition(
  repos: ReturnType<typeof tenantReader>,
  session: AgentSession,
  request: DeskRequest,
): Promise<string | null> {
  if (request.kind !== 'action' || request.action !== 'end_wrap_up' || session.call_log_id === null)
    return null;
  const log = await repos.callLogs.findById(session.call_log_id);
  if (!log || log.disposition !== null || log.connected_at === null) return null;
  const campaign = await repos.campaigns.findById(log.campaign_id);
  return campaign?.require_disposition
    ? "Give the call a disposition before ending wrap-up: this campaign requires one (the wrap-up limit still ends it, recorded as 'no_disposition')"
    : null;
}

function requestPatch(request: DeskRequest): RowPatch<'agent_sessions'> {
  switch (request.kind) {
    case 'pause':
      return { requested_state: 'paused', requested_pause_reason: request.reason };
    case 'resume':
      return { requested_state: 'available', requested_pause_reason: null };
    case 'logout':
      return { requested_state: 'logged_out', requested_pause_reason: null };
    case 'action':
      return { requested_action: request.action };
  }
}

/**
 * An agent's desk asks for a change: pause (now, or after the current call), resume, log out,
 * take the next preview contact, accept or skip it, end the conversation, end wrap-up. While an
 * engine process owns the agent's session it alone changes the agent's state: the request is left
 * on the session for it, and carried out at once: by this process's engine when it owns the
 * session, else by the owner, woken through the database (at the latest at its next tick). A
 * session no engine owns takes state changes directly.
 */
export async function requestAgentChange(
  deps: ServiceDeps,
  ctx: RequestContext,
  request: DeskRequest,
  sessionUid?: string,
): Promise<AgentSession> {
  const repos = tenantReader(deps, ctx);
  for (let attempt = 0; attempt < 5; attempt++) {
    const session = sessionUid
      ? await repos.agentSessions.findByUid(sessionUid)
      : await repos.agentSessions.findOpenByUser(actingUserId(ctx));
    if (!session || session.state === 'logged_out')
      throw notFound(sessionUid ? 'Agent session' : 'Open agent session');
    const problem = refusal(session, request) ?? (await missingDisposition(repos, session, request));
    if (problem) throw conflict(problem);
    const now = deps.clock.now();
    const owned =
      session.engine_owner !== null &&
      session.engine_lease_expires_at !== null &&
      session.engine_lease_expires_at > now;
    if (!owned) {
      const patch = directChange(session, request, now);
      if (!patch) throw conflict('No dialer engine is running this campaign right now');
      // The change, the call's end of wrap-up and agent.state_changed in one transaction (the
      // state history is written by the database in it too: migration 0027).
      const changed = await inTenantTransaction(deps, ctx, async ({ repos: trx, publish }) => {
        const row = await trx.agentSessions.changeIfUnchanged(
          session,
          { ...patch, engine_owner: null, engine_lease_expires_at: null },
          now,
        );
        if (!row) return undefined;
        if (request.kind === 'action' && request.action === 'end_wrap_up' && session.call_log_id !== null) {
          await trx.callLogs.markWrapUpEnded(session.call_log_id, now);
        }
        if (row.state !== session.state) {
          const user = await trx.users.getById(row.user_id);
          const campaign = await trx.campaigns.getById(row.campaign_id);
          await publish([agentStateEvent(row, user.uid, campaign.uid, session.state)]);
        }
        return row;
      });
      if (!changed) continue;
      return changed;
    }
    const recorded = await repos.agentSessions.changeIfUnchanged(session, requestPatch(request), now);
    if (!recorded) continue;
    const outcome = await deps.engine?.applyAgentRequests(ctx.tenant.contactCenterId, session.uid);
    if (outcome?.refusal) throw outcome.refusal;
    // The engine of another process owns the session: woken now, it carries the request out at
    // once instead of at its next tick (which remains the fallback if the wake is lost).
    if (!outcome?.handled) await repos.agentSessions.wakeOwner(recorded);
    return (await repos.agentSessions.findById(session.id)) ?? recorded;
  }
  throw conflict('The agent session keeps changing; try again');
}
