import type { AgentSession } from '../../db/schema.js';
import { FINAL_CAMPAIGN_STATUSES } from '../../domain/campaign-lifecycle.js';
import { conflict, forbidden } from '../../domain/errors.js';
import { agentStateEvent } from '../webhooks/publish-events.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { actingUserId } from './acting-user.js';

/**
 * An agent logs in to work a campaign: available at once. Only users assigned to the campaign
 * (and members of its queue, when it has one) may; one open session per user. Logging in again to
 * the same campaign returns the open session.
 */
export function agentLogin(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<AgentSession> {
  const userId = actingUserId(ctx);
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit, publish }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    const open = await repos.agentSessions.findOpenByUser(userId);
    if (open) {
      if (open.campaign_id === campaign.id) return open;
      throw conflict('You are logged in to another campaign; log out of it first');
    }
    if (FINAL_CAMPAIGN_STATUSES.includes(campaign.status))
      throw conflict(`The campaign is ${campaign.status}`);
    if (!(await repos.campaignUsers.findByUser(campaign.id, userId))) {
      throw forbidden('You are not assigned to this campaign');
    }
    if (campaign.queue_id !== null && !(await repos.queues.findMember(campaign.queue_id, userId))) {
      throw forbidden("You are not a member of the campaign's queue");
    }
    const session = await repos.agentSessions.insert({
      uid: deps.ids.uuid(),
      user_id: userId,
      campaign_id: campaign.id,
      state: 'available',
      state_since: now,
      idle_since: now,
      pause_reason: null,
      pending_pause_reason: null,
      call_log_id: null,
      wrap_up_deadline: null,
      preview_contact_id: null,
      preview_expires_at: null,
      requested_state: null,
      requested_pause_reason: null,
      requested_action: null,
      engine_owner: null,
      engine_lease_expires_at: null,
      logged_in_at: now,
      logged_out_at: null,
      created_at: now,
      updated_at: now,
    });
    const user = await repos.users.getById(userId);
    await publish([agentStateEvent(session, user.uid, campaign.uid, null)]);
    await audit('agent.login', 'agent_session', session.uid, null, session);
    return session;
  });
}
