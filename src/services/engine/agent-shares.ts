/**
 * Which engine process drives how many of each campaign's agent sessions.
 *
 * A campaign's Dialer pools its agents: an answered call goes to any free agent of the campaign in
 * the same process, never to one in another process. Splitting a campaign over processes splits
 * that pool, and smaller pools keep agents less busy at the same abandon rate (1,000 agents in four
 * campaigns, each halved over two processes: 80.5% against 83.6% in memory). So each process gets
 * whole campaigns, and only a campaign too large for one process's fair share is split, over as few
 * processes as it takes.
 *
 * Every process computes the plan on its own from what it read, so the plan is a pure function of
 * the live processes and each campaign's sessions and current owners: the same inputs give every
 * process the same plan. Current ownership decides where a campaign goes whenever balance allows
 * (an agent logging in or out does not move a campaign), since moving agents costs: an agent on a
 * call moves only once the call and its wrap-up are over, and the new process's pacer starts cold.
 */

/** A campaign's open agent sessions and who drives them now. */
export interface CampaignSessions {
  campaignId: number;
  /** Open (logged in) sessions. */
  open: number;
  /** Sessions each process holds now; a process not among the live nodes counts as no owner. */
  owned: ReadonlyMap<string, number>;
}

/** Sessions each node should own, by campaign (a node missing from a campaign's map owns none). */
export type AgentSharePlan = Map<number, Map<string, number>>;

/**
 * How far above its fair share (total ÷ nodes, rounded up) a node may go to keep campaigns whole:
 * this share of the fair share, rounded down. Under 20 agents a node the slack is none, so a
 * small center is shared out exactly (six agents of one campaign on two processes: three
 * each; two agents: one each) and each process has work when there is any.
 */
export const SLACK_SHARE = 0.05;

/** The sessions `node` should own of `campaignId` under `plan`. */
export function shareOf(plan: AgentSharePlan, campaignId: number, node: string): number {
  return plan.get(campaignId)?.get(node) ?? 0;
}

/**
 * Plans every node's sessions of every campaign. No node ends more than `SLACK_SHARE` above
 * total ÷ nodes.
 *
 * 1. A campaign stays whole on its home (the live node owning most of its sessions) if it fits
 *    there under the node's cap (fair share + slack); a campaign split now is only brought
 *    together if it fits under the fair share itself, so one hovering at the limit does not
 *    alternate between split and whole as agents come and go.
 * 2. The rest, largest first, go whole to the least loaded node if they fit under the same limit,
 *    else are split: the least loaded node is filled up to the fair share, then the next.
 */
export function planAgentShares(
  liveNodes: readonly string[],
  campaigns: readonly CampaignSessions[],
): AgentSharePlan {
  const nodes = [...new Set(liveNodes)].sort();
  const plan: AgentSharePlan = new Map();
  if (nodes.length === 0) return plan;
  const total = campaigns.reduce((sum, c) => sum + c.open, 0);
  const fair = Math.ceil(total / nodes.length);
  const cap = fair + Math.floor((SLACK_SHARE * total) / nodes.length);
  const load = new Map(nodes.map((n) => [n, 0]));
  const give = (campaign: CampaignSessions, node: string, sessions: number) => {
    let shares = plan.get(campaign.campaignId);
    if (!shares) plan.set(campaign.campaignId, (shares = new Map()));
    shares.set(node, (shares.get(node) ?? 0) + sessions);
    load.set(node, load.get(node)! + sessions);
  };
  const ownedBy = (campaign: CampaignSessions, node: string) => campaign.owned.get(node) ?? 0;
  /** Live nodes holding some of the campaign's sessions. */
  const holders = (campaign: CampaignSessions) => nodes.filter((n) => ownedBy(campaign, n) > 0);
  /** The highest a node's load may reach by taking this campaign whole. */
  const limitFor = (campaign: CampaignSessions) => (holders(campaign).length > 1 ? fair : cap);

  const largestFirst = campaigns
    .filter((c) => c.open > 0)
    .sort((a, b) => b.open - a.open || a.campaignId - b.campaignId);
  const left: CampaignSessions[] = [];
  for (const campaign of largestFirst) {
    const home = holders(campaign).sort(
      (a, b) => ownedBy(campaign, b) - ownedBy(campaign, a) || (a < b ? -1 : 1),
    )[0];
    if (home !== undefined && load.get(home)! + campaign.open <= limitFor(campaign)) {
      give(campaign, home, campaign.open);
    } else left.push(campaign);
  }

  /** The least loaded node; among equals the one holding most of the campaign, then the first. */
  const leastLoaded = (campaign: CampaignSessions) =>
    nodes.reduce((best, n) => {
      const byLoad = load.get(n)! - load.get(best)!;
      if (byLoad !== 0) return byLoad < 0 ? n : best;
      return ownedBy(campaign, n) > ownedBy(campaign, best) ? n : best;
    });
  for (const campaign of left) {
    const first = leastLoaded(campaign);
    if (load.get(first)! + campaign.open <= limitFor(campaign)) {
      give(campaign, first, campaign.open);
      continue;
    }
    let remaining = campaign.open;
    while (remaining > 0) {
      const node = leastLoaded(campaign);
      // Loads sum to less than nodes × fair while sessions remain, so the least loaded is below it.
      const piece = Math.min(remaining, Math.max(1, fair - load.get(node)!));
      give(campaign, node, piece);
      remaining -= piece;
    }
  }
  return plan;
}
