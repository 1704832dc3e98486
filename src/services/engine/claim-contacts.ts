import type { Campaign, CampaignLeadList, Contact } from '../../db/schema.js';
import { campaignBlocks } from '../../domain/eligibility.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';

export interface ClaimOptions {
  owner: string;
  leaseMs: number;
  /** Uniform [0, 1): which list of equal priority goes first is drawn by weightage. */
  random: () => number;
  /** Only these lists (the ones the agents at hand may take calls from); all open lists when absent. */
  listIds?: readonly number[];
  /** Claims for one agent (preview, progressive, owned callbacks): that agent's own callbacks included. */
  forUserId?: number | null;
  /** Only the `forUserId` agent's own due callbacks. */
  ownedCallbacksOnly?: boolean;
}

/** Whether the campaign itself may dial now: running, started, not ended, inside its weekly schedule. */
export function campaignOpen(campaign: Campaign, now: Date): boolean {
  return campaignBlocks(campaign, now).length === 0;
}

/** Splits `n` claims among lists in proportion to weightage, the remainder drawn at random by weight. */
export function shareByWeight(lists: CampaignLeadList[], n: number, random: () => number): number[] {
  const total = lists.reduce((a, l) => a + l.weightage, 0);
  const shares = lists.map((l) => Math.floor((n * l.weightage) / total));
  let left = n - shares.reduce((a, b) => a + b, 0);
  while (left > 0) {
    let r = random() * total;
    const i = lists.findIndex((l) => (r -= l.weightage) < 0);
    shares[i < 0 ? lists.length - 1 : i]! += 1;
    left -= 1;
  }
  return shares;
}

/**
 * Claims up to `n` contacts of a campaign for one engine process, atomically (any number of
 * processes may claim from the same campaign; none gets a contact another holds, and no number
 * gets two live calls). Lists are taken by priority; lists of equal priority share the claims by
 * weightage, and a list that runs dry passes its share on.
 */
export async function claimContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignId: number,
  n: number,
  options: ClaimOptions,
): Promise<Contact[]> {
  const campaign = await tenantRepositories(deps.db, ctx.tenant).campaigns.findById(campaignId);
  return campaign ? claimFromCampaign(deps, ctx, campaign, n, options) : [];
}

/** claimContacts for a campaign already read. */
export async function claimFromCampaign(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaign: Campaign,
  n: number,
  options: ClaimOptions,
): Promise<Contact[]> {
  const now = deps.clock.now();
  if (!campaignOpen(campaign, now)) return [];
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.db.transaction().execute(async (trx) => {
        const hopper = tenantRepositories(trx, ctx.tenant).hopper;
        await hopper.settleClaimTransaction();
        const lists = (await hopper.openLists(campaign, now)).filter(
          (l) => !options.listIds || options.listIds.includes(l.lead_list_id),
        );
        const claimed: Contact[] = [];
        const priorities = [...new Set(lists.map((l) => l.priority))].sort((a, b) => a - b);
        for (const priority of priorities) {
          let group = lists.filter((l) => l.priority === priority);
          while (claimed.length < n && group.length > 0) {
            const shares = shareByWeight(group, n - claimed.length, options.random);
            const dry: CampaignLeadList[] = [];
            for (const [i, list] of group.entries()) {
              const got = await hopper.claim(campaign, list, shares[i]!, options.owner, now, leaseUntil, {
                forUserId: options.forUserId ?? null,
                ownedOnly: options.ownedCallbacksOnly ?? false,
              });
              claimed.push(...got);
              if (got.length < shares[i]!) dry.push(list);
            }
            if (dry.length === 0) break;
            group = group.filter((l) => !dry.includes(l));
          }
          if (claimed.length >= n) break;
        }
        return claimed;
      });
    } catch (error) {
      // Another process claimed a contact with one of these numbers at the same moment: the
      // live-call index refused the second (or, when two claims each took a number the other
      // also took, the database ended one of them as a deadlock); try again, the number is now
      // visibly live.
      const code = (error as { code?: string }).code;
      if ((code === '23505' || code === '40P01') && attempt < 3) continue;
      throw error;
    }
  }
}
