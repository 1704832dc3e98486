import type { Campaign } from '../../db/schema.js';
import { campaignLiveStats, type LiveStats } from '../campaigns/live-stats.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface WallboardEntry {
  name: string;
  stats: LiveStats;
  contactsLeft: number;
}

/** Campaigns a floor watches: those running or paused (drafts and finished ones are not on the floor). */
const ON_THE_FLOOR: Campaign['status'][] = ['running', 'paused'];

/**
 * Every running or paused campaign at a glance: its live numbers (as its own live view has them)
 * and its contacts still to call.
 */
export async function wallboard(deps: ServiceDeps, ctx: RequestContext): Promise<WallboardEntry[]> {
  const repos = tenantReader(deps, ctx);
  const campaigns = (await repos.campaigns.listAll()).filter((c) => ON_THE_FLOOR.includes(c.status));
  const left = await repos.reports.contactsLeft(campaigns.map((c) => c.id));
  const entries: WallboardEntry[] = [];
  for (const c of campaigns)
    entries.push({
      name: c.name,
      stats: await campaignLiveStats(deps, ctx, c.uid),
      contactsLeft: left.get(c.id) ?? 0,
    });
  return entries;
}
