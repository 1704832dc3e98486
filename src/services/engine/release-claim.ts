import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';

/**
 * A claimed contact that is not dialled after all (the agent skipped it in preview, or the
 * campaign stopped dialing) goes back to the pool as it was, with no attempt counted.
 */
export async function releaseClaim(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: {
    contactId: number;
    campaignId: number;
    owner: string;
    why: 'skipped' | 'cancelled';
    agentUserId: number | null;
  },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const repos = tenantRepositories(trx, ctx.tenant);
    const now = deps.clock.now();
    const contact = await repos.dialing.releaseClaim(input.contactId, input.owner, now);
    if (!contact || input.why !== 'skipped') return;
    await repos.leadEvents.add([
      {
        contact_id: contact.id,
        campaign_id: input.campaignId,
        call_log_id: null,
        agent_user_id: input.agentUserId,
        at: now,
        type: 'preview_skipped',
      },
    ]);
  });
}
