import { performance } from 'node:perf_hooks';
import type { Campaign, Contact } from '../../db/schema.js';
import { withinHoursEverywhere } from '../../domain/local-time.js';
import { tenantRepositories } from '../../repositories/index.js';
import type { RequestContext, ServiceDeps } from '../context.js';
import { campaignOpen, claimFromCampaign, type ClaimOptions } from './claim-contacts.js';

/** Who a take is for: the same filters as a claim's. */
export type HopperTake = Pick<ClaimOptions, 'listIds' | 'forUserId' | 'ownedCallbacksOnly'>;

export interface ContactHopperOptions extends Omit<ClaimOptions, keyof HopperTake> {
  /** The most contacts held ahead of demand (0: every take is a claim of its own). */
  maxAhead?: number;
  /** A read-ahead used up within this time doubles the next one; one that lasts longer halves it. */
  horizonMs?: number;
  /** A contact held this long without being taken goes back to the pool. */
  maxAgeMs?: number;
  /** Each claim from the database as it ends: how long it took (wall time) and what it brought. */
  onClaim?: (seconds: number, contacts: number) => void;
}

interface Held {
  contact: Contact;
  since: number;
}

/**
 * A campaign's contacts claimed ahead of demand, for one engine process: the dialer takes them
 * one or a few at a time, and the database is asked for many at once. A claim costs the database
 * a few milliseconds whatever its size, so a dialer taking contacts one by one at a high rate
 * would spend its time claiming; the read-ahead grows while demand uses it up within the horizon
 * and shrinks when it does not, so a slow campaign still claims each contact as it needs it.
 *
 * Held contacts are claimed (leased to this process, in progress), so no other process gets them
 * and the live-call rule holds for their numbers. What may change while one is held is checked
 * again: calling hours in the contact's zone and the campaign's own schedule as it is handed out,
 * the do-not-call lists as the call is placed (open-call.ts). A contact held longer than
 * `maxAgeMs` goes back, as does everything held when the campaign stops dialing; a process that
 * dies loses its leases and the contacts come back when they expire.
 */
export class ContactHopper {
  private held: Held[] = [];
  private ahead = 0;
  private filledAt = Number.NEGATIVE_INFINITY;
  private campaign: Campaign | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxAhead: number;
  private readonly horizonMs: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly ctx: RequestContext,
    private readonly campaignId: number,
    private readonly options: ContactHopperOptions,
  ) {
    this.maxAhead = options.maxAhead ?? 100;
    this.horizonMs = options.horizonMs ?? 2000;
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
  }

  /** Contacts held now. */
  get size(): number {
    return this.held.length;
  }

  /**
   * Up to `n` contacts for the taker, from those held when they fit (the taker's lists, a
   * callback kept by another agent never), claiming more when they do not. Takes run one after
   * another: one that comes while another claims is served from what that claim brought.
   */
  take(n: number, taker: HopperTake = {}): Promise<Contact[]> {
    return this.inTurn(() => this.takeNow(n, taker));
  }

  /**
   * The campaign as it is now (it may have been edited): held contacts it no longer lets be
   * dialled — outside calling hours or the schedule, or of a list no longer open — go back now.
   */
  review(campaign: Campaign, openListIds: readonly number[]): Promise<void> {
    return this.inTurn(async () => {
      this.campaign = campaign;
      const now = this.deps.clock.now();
      const back: Held[] = [];
      const kept: Held[] = [];
      for (const entry of this.held) {
        const fine =
          openListIds.includes(entry.contact.lead_list_id) && this.stillCallable(entry.contact, now);
        (fine ? kept : back).push(entry);
      }
      this.held = kept;
      await this.giveBack(back);
    });
  }

  /** Everything held goes back to the pool (the campaign stopped dialing, or the process leaves). */
  returnAll(): Promise<void> {
    return this.inTurn(() => this.giveBack(this.held.splice(0)));
  }

  /** Runs `work` after everything asked of the hopper before it. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async takeNow(n: number, taker: HopperTake): Promise<Contact[]> {
    if (n <= 0) return [];
    // A callback kept by an agent is that agent's own claim: never read ahead for anyone else.
    if (taker.ownedCallbacksOnly) return this.claim(n, taker);
    const now = this.deps.clock.now();
    const stale: Held[] = [];
    const served: Contact[] = [];
    const kept: Held[] = [];
    for (const entry of this.held) {
      if (now.getTime() - entry.since >= this.maxAgeMs) stale.push(entry);
      else if (served.length === n || !this.fits(entry.contact, taker)) kept.push(entry);
      else if (this.stillCallable(entry.contact, now)) served.push(entry.contact);
      else stale.push(entry);
    }
    this.held = kept;
    if (stale.length > 0) {
      this.ahead = Math.floor(this.ahead / 2);
      await this.giveBack(stale);
    }
    if (served.length === n) return served;

    // Demand outran what was held: read further ahead if the last fill went within the horizon.
    if (this.held.length === 0) {
      this.ahead =
        now.getTime() - this.filledAt <= this.horizonMs
          ? Math.min(this.maxAhead, Math.max(1, this.ahead * 2))
          : Math.floor(this.ahead / 2);
    }
    const need = n - served.length;
    const claimed = await this.claim(need + this.ahead, taker);
    this.filledAt = this.deps.clock.now().getTime();
    for (const contact of claimed) {
      if (served.length < n) served.push(contact);
      else this.held.push({ contact, since: this.filledAt });
    }
    return served;
  }

  private async claim(n: number, taker: HopperTake): Promise<Contact[]> {
    const started = performance.now();
    const repos = tenantRepositories(this.deps.db, this.ctx.tenant);
    const campaign = await repos.campaigns.findById(this.campaignId);
    if (!campaign) return [];
    this.campaign = campaign;
    const { onClaim, ...claimOptions } = this.options;
    const claimed = await claimFromCampaign(this.deps, this.ctx, campaign, n, { ...claimOptions, ...taker });
    onClaim?.((performance.now() - started) / 1000, claimed.length);
    return claimed;
  }

  /** The taker may have it: one of the taker's lists, and not a callback kept by someone else. */
  private fits(contact: Contact, taker: HopperTake): boolean {
    if (taker.listIds && !taker.listIds.includes(contact.lead_list_id)) return false;
    return contact.callback_user_id === null || contact.callback_user_id === (taker.forUserId ?? null);
  }

  /** What may have closed since the claim: the campaign's schedule, the contact's calling hours. */
  private stillCallable(contact: Contact, now: Date): boolean {
    const campaign = this.campaign;
    if (!campaign) return false;
    return (
      campaignOpen(campaign, now) &&
      withinHoursEverywhere(now, contact.time_zones, campaign.calling_hours_start, campaign.calling_hours_end)
    );
  }

  private async giveBack(entries: Held[]): Promise<void> {
    if (entries.length === 0) return;
    await tenantRepositories(this.deps.db, this.ctx.tenant).dialing.releaseClaims(
      entries.map((e) => e.contact.id),
      this.options.owner,
      this.deps.clock.now(),
    );
  }
}
