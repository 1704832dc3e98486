import type { AgentSession, Campaign } from '../../db/schema.js';
import type { CallLogView } from '../../repositories/call-logs.repository.js';
import type { ContactView } from '../../repositories/contacts.repository.js';
import type { LeadEventView } from '../../repositories/lead-events.repository.js';
import type { AgentBoardRow } from '../../repositories/agent-sessions.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { actingUserId } from './acting-user.js';

export interface DeskView {
  session: AgentSession;
  campaign: Campaign;
  /** The call the agent is on or wrapping up. */
  call: CallLogView | null;
  /** The contact of that call, or of the preview. */
  contact: ContactView | null;
  history: LeadEventView[];
  /**
   * With no call or preview at hand: the agent's latest call of this session when it ended
   * without reaching them (not answered, busy, a machine, failed), so the desk can say so.
   */
  lastCall: CallLogView | null;
}

/** What an agent's desk shows: the session, and the contact of the call or preview at hand. */
export async function readDesk(deps: ServiceDeps, ctx: RequestContext): Promise<DeskView | null> {
  const repos = tenantReader(deps, ctx);
  const session = await repos.agentSessions.findOpenByUser(actingUserId(ctx));
  if (!session) return null;
  const campaign = await repos.campaigns.getById(session.campaign_id);
  const log = session.call_log_id ? await repos.callLogs.findById(session.call_log_id) : undefined;
  const call = log ? ((await repos.callLogs.view(log.uid)) ?? null) : null;
  const contactId = call?.contact_id ?? session.preview_contact_id;
  const found = contactId ? await repos.contacts.findById(contactId) : undefined;
  const contact = found ? ((await repos.contacts.withRefs([found]))[0] ?? null) : null;
  const history = contact ? await repos.leadEvents.forContact(contact.id, 50) : [];
  const idle = session.state === 'available' || session.state === 'paused';
  const latest =
    idle && !call && !contact
      ? await repos.callLogs.latestOfAgentSince(session.user_id, campaign.id, session.logged_in_at)
      : undefined;
  const lastCall = latest && latest.ended_at !== null && latest.connected_at === null ? latest : null;
  return { session, campaign, call, contact, history, lastCall };
}

/** The campaigns the logged-in user may log in to at the desk (assigned, and not finished). */
export async function deskCampaigns(deps: ServiceDeps, ctx: RequestContext): Promise<Campaign[]> {
  return tenantReader(deps, ctx).campaignUsers.workableCampaignsOf(actingUserId(ctx));
}

export interface BoardEntry extends AgentBoardRow {
  call: CallLogView | null;
}

/** The live agents board: every logged-in agent, their state and since when, and their call. */
export async function agentsBoard(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid?: string,
): Promise<BoardEntry[]> {
  const repos = tenantReader(deps, ctx);
  const campaignId = campaignUid ? (await repos.campaigns.getByUid(campaignUid)).id : null;
  const rows = await repos.agentSessions.board(campaignId);
  const out: BoardEntry[] = [];
  for (const row of rows) {
    const log = row.call_log_id ? await repos.callLogs.findById(row.call_log_id) : undefined;
    out.push({ ...row, call: log ? ((await repos.callLogs.view(log.uid)) ?? null) : null });
  }
  return out;
}
