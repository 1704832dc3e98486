import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AgentSession, Campaign } from '../../db/schema.js';
import type { Carrier, LeftCallEnded } from '../../engine/carrier.js';
import type { Random } from '../../engine/random.js';
import type { Scheduler, TimerId } from '../../engine/scheduler.js';
import type { EngineRepository } from '../../repositories/engine.repository.js';
import {
  DESK_REQUESTS_CHANNEL,
  tenantRepositories,
  sharedRepositories,
  type DeskWake,
} from '../../repositories/index.js';
import { changeCampaignStatus } from '../campaigns/update-campaign.js';
import { systemContext, type EngineProcessFigures, type ServiceDeps } from '../context.js';
import { planAgentShares, shareOf, type CampaignSessions } from './agent-shares.js';
import { CampaignRun, type EngineContext } from './campaign-run.js';
import { reclaimExpiredClaims } from './reclaim-expired.js';

const HOUSEKEEPING_EVERY_TICKS = 5;
/**
 * A claim or agent session is leased for this share of a lease beyond the lease itself, and
 * renewed only once less than a lease is left: so it always has at least a lease left while its
 * process beats (never running out before the process is found dead, a lease after its last
 * heartbeat), and each row is rewritten every third of a lease instead of every tick (at 1,000
 * agents the renewals were most of the rows the engine wrote). A dead process's claims and agents
 * come back up to that much later.
 */
const LEASE_TOP_UP = 1 / 3;

export interface EngineHostOptions {
  scheduler: Scheduler;
  carrier: Carrier;
  random: Random;
  /** This process's name among the engine processes sharing the database. */
  nodeId?: string;
  tickMs?: number;
  /**
   * How long a process is counted alive after its last heartbeat, and the least that its claims
   * and agent sessions keep of their lease while it beats (they are leased a third longer).
   */
  leaseMs?: number;
  patienceMs?: number;
  ringTimeoutMs?: number;
  /** Every this many ticks, running campaigns with nothing left to dial are completed. */
  completionEveryTicks?: number;
  onError?: (error: unknown, where: string) => void;
  /** A desk request another process woke this one for, once carried out (or found already done). */
  onDeskWake?: (sessionUid: string) => void;
}

/**
 * The dialer engine in one process: every tick it beats its heart (so other processes know it is
 * alive), renews its leases, returns the claims of processes that died, and runs every campaign
 * that is running or paused or has agents logged in, each as a CampaignRun over its share of the
 * agents: whole campaigns per process where balance allows (`planAgentShares`, computed alike by
 * every process). Any number of hosts may share one PostgreSQL database.
 */
export class EngineHost {
  readonly nodeId: string;
  private readonly e: EngineContext;
  /** A process whose heartbeat is older than this is dead (`EngineHostOptions.leaseMs`). */
  private readonly aliveMs: number;
  private readonly engine: EngineRepository;
  private runs = new Map<number, CampaignRun>();
  private timer: TimerId | null = null;
  private ticking: Promise<void> | null = null;
  private ticks = 0;
  private nodes: string[] = [];
  private stopped = false;
  /** Stops hearing desks' wakes (set once listening). */
  private listening: Promise<(() => Promise<void>) | null> = Promise.resolve(null);
  /** Desk requests being carried out on a wake. */
  private woken = new Set<Promise<void>>();
  private readonly counted = {
    claims: 0,
    contactsClaimed: 0,
    claimSeconds: 0,
    leaseRenewals: 0,
    leaseRenewalSeconds: 0,
  };

  constructor(
    private readonly deps: ServiceDeps,
    private readonly o: EngineHostOptions,
  ) {
    this.nodeId = o.nodeId ?? `${os.hostname()}:${process.pid}:${deps.ids.uuid().slice(0, 8)}`;
    this.engine = sharedRepositories(deps.db).engine;
    this.aliveMs = o.leaseMs ?? 30_000;
    this.e = {
      deps,
      scheduler: o.scheduler,
      carrier: o.carrier,
      random: o.random,
      owner: this.nodeId,
      leaseMs: Math.round(this.aliveMs * (1 + LEASE_TOP_UP)),
      tickMs: o.tickMs ?? 1000,
      patienceMs: o.patienceMs ?? 2000,
      ringTimeoutMs: o.ringTimeoutMs ?? 25_000,
      onError: o.onError ?? (() => undefined),
      onClaim: (seconds, contacts) => {
        this.counted.claims += 1;
        this.counted.contactsClaimed += contacts;
        this.counted.claimSeconds += seconds;
      },
    };
  }

  start(): void {
    // A desk served by another process leaves its request on the session and wakes this one
    // through the database, so the agent does not wait for the next tick (still the fallback).
    const listen = this.deps.listen;
    if (listen) {
      this.listening = listen(DESK_REQUESTS_CHANNEL, (payload) => this.onDeskWake(payload)).catch(
        (error: unknown) => {
          this.e.onError(error, 'listening for desk requests');
          return null;
        },
      );
    }
    const loop = () => {
      if (this.stopped) return;
      this.ticking ??= this.tick()
        .catch((error: unknown) => this.e.onError(error, 'engine tick'))
        .finally(() => (this.ticking = null));
      this.timer = this.o.scheduler.after(this.e.tickMs, loop);
    };
    loop();
  }

  /** What this process has counted since it started, and each campaign's read-ahead now (/metrics). */
  figures(): EngineProcessFigures {
    return { ...this.counted, readAhead: [...this.runs.values()].map((run) => run.readAhead) };
  }

  runOf(campaignId: number): CampaignRun | undefined {
    return this.runs.get(campaignId);
  }

  /** One round of the engine's work (also called directly by tests). */
  async tick(): Promise<void> {
    const wakesBefore = [...this.woken];
    const now = this.deps.clock.now();
    // A dead process's claims must not come back before the process is itself found dead (its
    // heartbeat `aliveMs` old), since only then are its calls ended on the wire (renewing at
    // half-life, to a lease, let them come back up to half a lease earlier): every lease that
    // would end within `aliveMs` of now is renewed before the heartbeat says the process was alive
    // now (`LEASE_TOP_UP`).
    const renewing = performance.now();
    await this.engine.renewLeases(
      this.nodeId,
      new Date(now.getTime() + this.aliveMs),
      new Date(now.getTime() + this.e.leaseMs),
    );
    this.counted.leaseRenewals += 1;
    this.counted.leaseRenewalSeconds += (performance.now() - renewing) / 1000;
    await this.engine.heartbeat({ id: this.nodeId, hostname: os.hostname(), pid: process.pid }, now);
    // Housekeeping runs every few ticks: leases last many ticks, so a dead process's claims and
    // agents come back within a lease and a few seconds either way.
    if (this.ticks % HOUSEKEEPING_EVERY_TICKS === 0) {
      this.nodes = await this.engine.liveNodes(new Date(now.getTime() - this.aliveMs));
      // What dead processes left up on the network is ended first, so their claims (and with them
      // the numbers) come back only once their calls are down, and their records close at the
      // time each call really ended.
      const endedOnWire = await this.endCallsLeftByDeadNodes();
      if (endedOnWire) {
        const lost = await reclaimExpiredClaims(
          this.deps,
          this.e.leaseMs,
          new Map(endedOnWire.map((c) => [c.callId, c.endedAt])),
          now,
        );
        for (const l of lost) {
          this.deps.log?.warn(
            {
              event: 'engine.node_lost',
              node: l.node,
              lastAliveAt: l.lastAliveAt.toISOString(),
              claimsReturned: l.claims,
              by: this.nodeId,
            },
            'engine node lost: its claims returned to the pool',
          );
        }
      }
    }
    // This process plans as one of the live even when its own heartbeat was read late (a stall).
    const nodes = this.nodes.includes(this.nodeId) ? this.nodes : [...this.nodes, this.nodeId].sort();
    const campaigns = await this.engine.campaignsToRun();
    // A desk request carried out on a wake that began before this tick is done before the sessions
    // are read, so this round does not see it as still to do (a wake arriving during the tick waits
    // for the tick's end: awaiting those here would wait for ever).
    await Promise.allSettled(wakesBefore);
    const sessions = new Map<number, AgentSession[]>();
    for (const s of await this.engine.openSessions()) {
      const ofCampaign = sessions.get(s.campaign_id);
      if (ofCampaign) ofCampaign.push(s);
      else sessions.set(s.campaign_id, [s]);
    }
    const plan = planAgentShares(
      nodes,
      campaigns.map((c) => sessionsOf(c.id, sessions.get(c.id) ?? [], nodes, now)),
    );
    const active = new Set<number>();
    for (const campaign of campaigns) {
      active.add(campaign.id);
      let run = this.runs.get(campaign.id);
      if (!run) {
        run = new CampaignRun(this.e, campaign);
        this.runs.set(campaign.id, run);
      }
      await run.sync(campaign, {
        liveNodes: nodes,
        agentShare: shareOf(plan, campaign.id, this.nodeId),
        openSessions: sessions.get(campaign.id) ?? [],
      });
    }
    for (const [id, run] of this.runs) {
      if (active.has(id)) continue;
      await run.stopDialing();
      if (run.done) {
        run.close();
        this.runs.delete(id);
      }
    }
    this.ticks += 1;
    if (this.ticks % (this.o.completionEveryTicks ?? 10) === 0) {
      await this.completeFinishedCampaigns(campaigns.filter((c) => c.status === 'running'));
    }
  }

  /**
   * The calls dead processes left up, ended by the carrier (none for a carrier whose calls die with
   * their process). Undefined when the carrier could not do it this round: their claims then stay
   * held (no second call to their numbers) until a later round succeeds, while the campaigns run on.
   */
  private async endCallsLeftByDeadNodes(): Promise<LeftCallEnded[] | undefined> {
    if (!this.o.carrier.endCallsLeftBy) return [];
    try {
      return await this.o.carrier.endCallsLeftBy(this.nodes);
    } catch (error) {
      this.e.onError(error, 'ending calls left by dead engine processes');
      return undefined;
    }
  }

  /** A running campaign whose every contact is final is completed. */
  private async completeFinishedCampaigns(running: Campaign[]): Promise<void> {
    for (const campaign of running) {
      const ctx = systemContext(campaign.contact_center_id, 'engine');
      const repos = tenantRepositories(this.deps.db, ctx.tenant);
      if (await repos.dialing.campaignHasWorkLeft(campaign.id)) continue;
      if ((await repos.campaignLeadLists.forCampaign(campaign.id)).length === 0) continue;
      try {
        await changeCampaignStatus(this.deps, ctx, campaign.uid, 'complete', campaign.version);
      } catch {
        // Changed meanwhile (paused, edited, or completed by another process): next round decides.
      }
    }
  }

  /**
   * Carries out an agent's desk request at once when this process owns the session (the desk
   * calls it right after recording the request). Returns whether this process handled it, and
   * the refusal if the request could not be done.
   */
  async applyAgentRequests(
    contactCenterId: number,
    sessionUid: string,
  ): Promise<{ handled: boolean; refusal: Error | null }> {
    await this.ticking;
    const session = await tenantRepositories(this.deps.db, { contactCenterId }).agentSessions.findByUid(
      sessionUid,
    );
    const run = session ? this.runs.get(session.campaign_id) : undefined;
    if (!session || !run || session.engine_owner !== this.nodeId || !run.hasSession(session.uid)) {
      return { handled: false, refusal: null };
    }
    // Already carried out (a tick, or an earlier wake, got to it first).
    if (session.requested_state === null && session.requested_action === null) {
      return { handled: true, refusal: null };
    }
    const refusal = await run.applyRequests(session);
    await run.idle();
    return { handled: true, refusal };
  }

  private onDeskWake(payload: string): void {
    let wake: DeskWake;
    try {
      wake = JSON.parse(payload) as DeskWake;
    } catch {
      return;
    }
    if (wake.owner !== this.nodeId || this.stopped) return;
    const work = this.applyAgentRequests(wake.contactCenterId, wake.sessionUid)
      // The desk that asked has answered already (as when a tick carries a request out): a
      // refusal is not reported back, and the request is cleared either way.
      .then(() => this.o.onDeskWake?.(wake.sessionUid))
      .catch((error: unknown) => this.e.onError(error, 'desk request'));
    this.woken.add(work);
    void work.finally(() => this.woken.delete(work));
  }

  /** Resolves when this host's current tick and every write it started are done. */
  async idle(): Promise<void> {
    await this.ticking;
    while (this.woken.size > 0) await Promise.allSettled([...this.woken]);
    for (const run of this.runs.values()) await run.idle();
  }

  /**
   * Stops placing calls, lets live calls end (up to `drainMs`), gives up its agents so another
   * process adopts them at once, and leaves.
   */
  async stop(drainMs = 0): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.o.scheduler.cancel(this.timer);
    const unlisten = await this.listening;
    await unlisten?.();
    await this.ticking;
    while (this.woken.size > 0) await Promise.allSettled([...this.woken]);
    for (const run of this.runs.values()) run.close();
    const deadline = Date.now() + drainMs;
    while ([...this.runs.values()].some((r) => r.dialer.liveCalls > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const run of this.runs.values()) await run.idle();
    await this.engine.releaseSessions(this.nodeId, this.deps.clock.now());
    await this.engine.leave(this.nodeId);
  }
}

/** A campaign's open sessions as the plan sees them: held by a live process, or by none. */
function sessionsOf(
  campaignId: number,
  open: AgentSession[],
  liveNodes: readonly string[],
  now: Date,
): CampaignSessions {
  const owned = new Map<string, number>();
  for (const s of open) {
    const owner = s.engine_owner;
    if (owner === null || !liveNodes.includes(owner)) continue;
    if (s.engine_lease_expires_at !== null && s.engine_lease_expires_at < now) continue;
    owned.set(owner, (owned.get(owner) ?? 0) + 1);
  }
  return { campaignId, open: open.length, owned };
}
