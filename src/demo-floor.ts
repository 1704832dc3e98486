import type { ContactStatus, User } from './db/schema.js';
import type { Disposition } from './domain/call-outcome.js';
import type { Random } from './engine/random.js';
import type { Scheduler } from './engine/scheduler.js';
import { addDemoLeads, DEMO_BOTS, DEMO_CAMPAIGN, DEMO_CENTER, DEMO_LIST } from './demo.js';
import { tenantRepositories, sharedRepositories } from './repositories/index.js';
import { agentLogin } from './services/agents/agent-login.js';
import { requestAgentChange } from './services/agents/agent-requests.js';
import { readDesk } from './services/agents/read-agents.js';
import { dispositionCall } from './services/calls/disposition-call.js';
import { contactCountsByStatus } from './services/contacts/read-contacts.js';
import type { RequestContext, ServiceDeps } from './services/context.js';

const DISPOSITION_MIX: [Disposition, number][] = [
  ['success', 0.45],
  ['not_interested', 0.25],
  ['callback', 0.12],
  ['voicemail', 0.1],
  ['wrong_number', 0.05],
  ['do_not_call', 0.03],
];

export interface DemoFloorOptions {
  centerId: number;
  campaignUid: string;
  campaignId: number;
  listUid: string;
  listId: number;
  bots: User[];
  onError: (error: unknown) => void;
}

/**
 * The demo's floor: simulated agents who log in to the demo campaign through the same desk
 * services a person uses, take their calls, record a disposition after a few seconds of wrap-up,
 * and now and then take a short break; and fresh leads when the list runs low, so the demo keeps
 * dialing while someone watches the console, the API or the live stream.
 */
export class DemoFloor {
  private timer: ReturnType<Scheduler['after']> | null = null;
  private breaks = new Map<number, number>();
  private added = 0;
  private ticks = 0;
  private stopped = false;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly scheduler: Scheduler,
    private readonly random: Random,
    private readonly o: DemoFloorOptions,
  ) {}

  start(): void {
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.round();
      } catch (error) {
        this.o.onError(error);
      }
      if (!this.stopped) this.timer = this.scheduler.after(2000, () => void loop());
    };
    void loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.scheduler.cancel(this.timer);
  }

  private ctxOf(bot: User): RequestContext {
    return {
      tenant: { contactCenterId: this.o.centerId },
      principal: {
        kind: 'user',
        contactCenterId: this.o.centerId,
        userId: bot.id,
        userUid: bot.uid,
        username: bot.username,
        role: bot.role,
      },
    };
  }

  private pick(): Disposition {
    let r = this.random.next();
    for (const [d, p] of DISPOSITION_MIX) if ((r -= p) < 0) return d;
    return 'success';
  }

  private async round(): Promise<void> {
    const now = this.scheduler.nowMs();
    for (const bot of this.o.bots) {
      const ctx = this.ctxOf(bot);
      const desk = await readDesk(this.deps, ctx);
      if (!desk) {
        await agentLogin(this.deps, ctx, this.o.campaignUid);
        continue;
      }
      const { session, call } = desk;
      if (session.pending_pause_reason || session.requested_state || session.requested_action) continue;
      const since = now - session.state_since.getTime();
      if (session.state === 'wrap_up' && call && since > 3000 + this.random.uniform(0, 6000)) {
        if (!call.disposition) {
          const disposition = this.pick();
          await dispositionCall(this.deps, ctx, call.id, {
            disposition,
            callbackAt:
              disposition === 'callback' ? new Date(now + this.random.uniform(10, 60) * 60_000) : null,
          }).catch(() => undefined);
        }
        await requestAgentChange(this.deps, ctx, { kind: 'action', action: 'end_wrap_up' });
      } else if (session.state === 'available' && this.random.bernoulli(0.004)) {
        this.breaks.set(bot.id, now + this.random.uniform(20_000, 60_000));
        await requestAgentChange(this.deps, ctx, { kind: 'pause', reason: 'break' });
      } else if (session.state === 'paused' && now >= (this.breaks.get(bot.id) ?? 0)) {
        await requestAgentChange(this.deps, ctx, { kind: 'resume' });
      }
    }
    this.ticks += 1;
    if (this.ticks % 30 === 1) await this.refill();
  }

  private async refill(): Promise<void> {
    const ctx: RequestContext = {
      tenant: { contactCenterId: this.o.centerId },
      principal: { kind: 'system', contactCenterId: this.o.centerId, name: 'demo' },
    };
    const counts = await contactCountsByStatus(this.deps, ctx, { leadListId: this.o.listId });
    const dialable = (['new', 'retry', 'callback'] as ContactStatus[]).reduce(
      (n, s) => n + ((counts as Partial<Record<ContactStatus, number>>)[s] ?? 0),
      0,
    );
    if (dialable >= 100) return;
    this.added += 1;
    await addDemoLeads(
      this.deps,
      ctx,
      this.o.listUid,
      300,
      400 + this.added * 300 + Math.floor(this.random.next() * 1e6),
    );
  }
}

/** The floor of the demo center made by `ensureDemoCenter`, or null if that center is not there. */
export async function demoFloor(
  deps: ServiceDeps,
  scheduler: Scheduler,
  random: Random,
  onError: (error: unknown) => void,
): Promise<DemoFloor | null> {
  const center = await sharedRepositories(deps.db).contactCenters.findByShortName(DEMO_CENTER);
  if (!center) return null;
  const repos = tenantRepositories(deps.db, { contactCenterId: center.id });
  const campaign = (await repos.campaigns.listAll()).find((c) => c.name === DEMO_CAMPAIGN);
  const list = await repos.leadLists.findByName(DEMO_LIST);
  const bots = await repos.users.findByUsernames(DEMO_BOTS);
  if (!campaign || !list) return null;
  return new DemoFloor(deps, scheduler, random, {
    centerId: center.id,
    campaignUid: campaign.uid,
    campaignId: campaign.id,
    listUid: list.uid,
    listId: list.id,
    bots,
    onError,
  });
}
