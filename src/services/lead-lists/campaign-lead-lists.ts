import type { Campaign, CampaignLeadList, FetchOrder, WeeklyWindow } from '../../db/schema.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import { isClockTime } from '../../domain/validation.js';
import type { CampaignLeadListView } from '../../repositories/lead-lists.repository.js';
import type { TenantRepositories } from '../../repositories/index.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/**
 * One list of a campaign: the native API names the list by its id, Exotel by the number it shows
 * (`leadId`, numbered per contact center).
 */
export type MappingRef = { campaignId: number } & ({ leadListId: number } | { leadListNumber: number });

async function findMappingByRef(repos: TenantRepositories, ref: MappingRef): Promise<CampaignLeadList> {
  const mapping =
    'leadListId' in ref
      ? await repos.campaignLeadLists.find(ref.campaignId, ref.leadListId)
      : await repos.campaignLeadLists.findByListNumber(ref.campaignId, ref.leadListNumber);
  if (!mapping) throw notFound('Campaign lead');
  return mapping;
}

/** A user named the way the caller knows it: Exotel by username, the native API by id. */
export type UserRef = { username: string } | { uid: string };

export interface MappingInput {
  priority?: number;
  weightage?: number;
  enabled?: boolean;
  maxAttempts?: number;
  churnCount?: number;
  fetchOrder?: FetchOrder;
  dialingEnabledAtAllTimes?: boolean;
  dialingWindows?: WeeklyWindow[];
  version?: number;
}

function mappingPatch(input: MappingInput): Partial<CampaignLeadList> {
  const patch: Partial<CampaignLeadList> = {};
  if (input.priority !== undefined) patch.priority = input.priority;
  if (input.weightage !== undefined) patch.weightage = input.weightage;
  if (input.enabled !== undefined) patch.enabled = input.enabled;
  if (input.maxAttempts !== undefined) patch.max_attempts = input.maxAttempts;
  if (input.churnCount !== undefined) patch.churn_count = input.churnCount;
  if (input.fetchOrder !== undefined) patch.fetch_order = input.fetchOrder;
  if (input.dialingEnabledAtAllTimes !== undefined)
    patch.dialing_enabled_at_all_times = input.dialingEnabledAtAllTimes;
  if (input.dialingWindows !== undefined) {
    const bad = input.dialingWindows.findIndex(
      (w) => !isClockTime(w.start) || !isClockTime(w.end) || w.start >= w.end,
    );
    if (bad >= 0)
      throw invalid('Invalid dialing window', [`dialing_windows[${bad}]: start and end HH:MM, start first`]);
    patch.dialing_windows = input.dialingWindows;
  }
  return patch;
}

/** Attaches a lead list to a campaign with its dialing settings. */
export function attachLeadList(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  listUid: string,
  input: MappingInput,
): Promise<CampaignLeadListView> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const campaign = await repos.campaigns.getByUid(campaignUid);
    const list = await repos.leadLists.getByUid(listUid);
    if (await repos.campaignLeadLists.find(campaign.id, list.id))
      throw conflict('The list is already attached to this campaign');
    const mapping = await repos.campaignLeadLists.attach(
      {
        campaign_id: campaign.id,
        lead_list_id: list.id,
        max_attempts: campaign.max_attempts,
        ...mappingPatch(input),
      },
      now,
    );
    await audit('campaign_lead_list.attach', 'campaign', toPublicId('campaign', campaign.uid), null, mapping);
    return (await repos.campaignLeadLists.view(mapping.id))!;
  });
}

export function updateCampaignLeadList(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  listUid: string,
  input: MappingInput,
): Promise<CampaignLeadListView> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const mapping = await findMapping(repos, campaignUid, listUid);
    const { before, after } = await repos.campaignLeadLists.update(
      mapping.id,
      mappingPatch(input),
      now,
      input.version,
    );
    await audit('campaign_lead_list.update', 'campaign_lead_list', String(after.id), before, after);
    return (await repos.campaignLeadLists.view(after.id))!;
  });
}

export function detachLeadList(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
  listUid: string,
): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const mapping = await findMapping(repos, campaignUid, listUid);
    await repos.campaignLeadLists.deleteById(mapping.id);
    await audit('campaign_lead_list.detach', 'campaign_lead_list', String(mapping.id), mapping, null);
  });
}

async function findMapping(
  repos: TenantRepositories,
  campaignUid: string,
  listUid: string,
): Promise<CampaignLeadList> {
  const campaign = await repos.campaigns.getByUid(campaignUid);
  const list = await repos.leadLists.getByUid(listUid);
  const mapping = await repos.campaignLeadLists.find(campaign.id, list.id);
  if (!mapping) throw notFound('Campaign lead list');
  return mapping;
}

export async function campaignLeadLists(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string,
): Promise<CampaignLeadListView[]> {
  const repos = tenantReader(deps, ctx);
  const campaign = await repos.campaigns.getByUid(campaignUid);
  return repos.campaignLeadLists.forCampaign(campaign.id);
}

/** A campaign user as both its key and the number clients see (Exotel's campaignUserId). */
interface CampaignUserRef {
  username: string;
  campaignUserId: number;
  campaignUserNumber: number;
}

/**
 * Sets which of the campaign's users may take calls from one of its lists (Exotel's lead-user
 * mapping). Users are named by username; each must be assigned to the campaign.
 */
export function mapLeadListUsers(
  deps: ServiceDeps,
  ctx: RequestContext,
  mappingRef: MappingRef,
  change: { assign: UserRef[]; unassign: UserRef[] },
): Promise<{
  mapping: CampaignLeadListView;
  assigned: CampaignUserRef[];
  unassigned: CampaignUserRef[];
}> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const mapping = await findMappingByRef(repos, mappingRef);
    const resolve = async (refs: UserRef[]) => {
      const usernames = refs.flatMap((r) => ('username' in r ? [r.username] : []));
      const byName = await repos.users.findByUsernames(usernames);
      const missing = usernames.filter(
        (u) => !byName.some((x) => x.username.toLowerCase() === u.toLowerCase()),
      );
      if (missing.length) throw notFound(`User ${missing.join(', ')}`);
      const byUid = await Promise.all(refs.flatMap((r) => ('uid' in r ? [repos.users.getByUid(r.uid)] : [])));
      const position = (u: { username: string; uid: string }) =>
        refs.findIndex((r) =>
          'username' in r ? r.username.toLowerCase() === u.username.toLowerCase() : r.uid === u.uid,
        );
      const users = [...byName, ...byUid].sort((a, b) => position(a) - position(b));
      const out: CampaignUserRef[] = [];
      for (const user of users) {
        const campaignUser = await repos.campaignUsers.findByUser(mapping.campaign_id, user.id);
        if (!campaignUser)
          throw invalid(`${user.username} is not assigned to the campaign`, [
            `${user.username} is not a campaign user`,
          ]);
        out.push({
          username: user.username,
          campaignUserId: campaignUser.id,
          campaignUserNumber: campaignUser.number_in_center,
        });
      }
      return out;
    };
    const assigned = await resolve(change.assign);
    const unassigned = await resolve(change.unassign);
    const before = await repos.campaignLeadLists.view(mapping.id);
    await repos.campaignLeadLists.setUsers(
      mapping.id,
      assigned.map((a) => a.campaignUserId),
      unassigned.map((u) => u.campaignUserId),
      now,
    );
    const after = (await repos.campaignLeadLists.view(mapping.id))!;
    await repos.campaignLeadLists.update(mapping.id, {}, now);
    await audit('campaign_lead_list.users', 'campaign_lead_list', String(mapping.id), before, after);
    return { mapping: (await repos.campaignLeadLists.view(mapping.id))!, assigned, unassigned };
  });
}

/**
 * One page of a campaign's users (in campaign-user number order), each marked as mapped or not to one
 * of the campaign's lists: paging through gives every campaign user once (Exotel's lead-user read).
 */
export async function leadListUsersPage(
  deps: ServiceDeps,
  ctx: RequestContext,
  mappingRef: MappingRef,
  page: { limit: number; offset: number },
): Promise<{
  mapping: CampaignLeadListView;
  users: { username: string; campaignUserNumber: number; mapped: boolean }[];
}> {
  const repos = tenantReader(deps, ctx);
  const found = await findMappingByRef(repos, mappingRef);
  const mapping = (await repos.campaignLeadLists.view(found.id))!;
  const mapped = new Set(mapping.campaign_user_ids.map(Number));
  const campaignUsers = await repos.campaignUsers.listForCampaign(mappingRef.campaignId, page);
  return {
    mapping,
    users: campaignUsers.map((u) => ({
      username: u.username,
      campaignUserNumber: u.number_in_center,
      mapped: mapped.has(Number(u.id)),
    })),
  };
}

/**
 * The list a campaign's contacts go to when the client has no list concept (Qvoice, DialNexa,
 * or a native create naming only the campaign): created and attached on first use.
 */
export async function ensureDefaultList(
  repos: TenantRepositories,
  ids: { uuid(): string },
  campaign: Campaign,
  now: Date,
) {
  const existing = await findDefaultList(repos, campaign);
  if (existing) return existing;
  // Two first contacts added at once must not both create the list: the second waits, then finds it.
  await repos.leadLists.lockDefaultListOf(campaign.id);
  const created = await findDefaultList(repos, campaign);
  if (created) return created;
  const list = await repos.leadLists.insert({
    uid: ids.uuid(),
    name: `${campaign.name} #${campaign.number_in_center} (default list)`,
    description: `Contacts added to campaign ${campaign.name}`,
    is_default: true,
    created_at: now,
    updated_at: now,
  });
  await repos.campaignLeadLists.attach(
    { campaign_id: campaign.id, lead_list_id: list.id, max_attempts: campaign.max_attempts },
    now,
  );
  return list;
}

async function findDefaultList(repos: TenantRepositories, campaign: Campaign) {
  const mappings = await repos.campaignLeadLists.forCampaign(campaign.id);
  for (const m of mappings) {
    const list = await repos.leadLists.getById(m.lead_list_id);
    if (list.is_default) return list;
  }
  return undefined;
}
