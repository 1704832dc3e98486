import type { ContactStatus } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export type CountsByStatus = Partial<Record<ContactStatus, number>>;

export interface CampaignProgress {
  campaignUid: string;
  total: number;
  byStatus: CountsByStatus;
  lists: { listUid: string; total: number; byStatus: CountsByStatus }[];
}

/**
 * Contacts by status for each campaign (all of the center's when no uids are given), over the
 * lists it dials and broken down by list. A uid that is not a live campaign of this center is
 * not found, like any other reference.
 */
export async function campaignProgress(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUids?: string[],
): Promise<CampaignProgress[]> {
  const repos = tenantReader(deps, ctx);
  const progress = repos.campaignProgress;
  let campaigns: { id: number; uid: string }[];
  if (campaignUids) {
    const wanted = [...new Set(campaignUids)];
    campaigns = await progress.campaignsByUid(wanted);
    if (campaigns.length !== wanted.length) throw notFound('Campaign');
    const order = new Map(wanted.map((uid, i) => [uid, i]));
    campaigns.sort((a, b) => order.get(a.uid)! - order.get(b.uid)!);
  } else {
    campaigns = await repos.campaigns.listAll();
  }
  const out = new Map<number, CampaignProgress>(
    campaigns.map((c) => [c.id, { campaignUid: c.uid, total: 0, byStatus: {}, lists: [] }]),
  );
  for (const row of await progress.countsByListAndStatus(campaigns.map((c) => c.id))) {
    const campaign = out.get(row.campaign_id)!;
    campaign.total += row.n;
    campaign.byStatus[row.status] = (campaign.byStatus[row.status] ?? 0) + row.n;
    let list = campaign.lists.find((l) => l.listUid === row.list_uid);
    if (!list) campaign.lists.push((list = { listUid: row.list_uid, total: 0, byStatus: {} }));
    list.total += row.n;
    list.byStatus[row.status] = row.n;
  }
  return [...out.values()];
}
