import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/database.js';
import type { CallOutcome } from '../../src/db/schema.js';
import type { AgentSeat } from '../../src/engine/agents.js';
import type { CallJournal, LiveCall } from '../../src/engine/dialer.js';
import type { ForecastMode } from '../../src/engine/forecast.js';
import { Random } from '../../src/engine/random.js';
import { VirtualScheduler } from '../../src/engine/scheduler.js';
import { SimulatedCarrier, type CalleeModel } from '../../src/engine/simulated-carrier.js';
import { CampaignSimulation } from '../../src/engine/simulation.js';

/** One finished call as the live engine would have logged it. */
export interface CallRecord {
  outcome: CallOutcome;
  dialedAt: number;
  answeredAt: number | null;
  connectedAt: number | null;
  endedAt: number;
  wrapUpEndedAt: number | null;
}

/**
 * Call history made by the engine itself: `days` calling days of `dayMs` each, starting at the
 * instants given, worked by `agents` agents in `mode` against a known callee model, every call
 * recorded through the Dialer's journal as the live engine records it.
 */
export function simulateHistory(opts: {
  callees: CalleeModel;
  dayStarts: number[];
  dayMs: number;
  agents: number;
  mode: ForecastMode;
  wrapUpMs: (random: Random) => number;
  seed: number;
}): CallRecord[] {
  const records: CallRecord[] = [];
  opts.dayStarts.forEach((start, day) => {
    const scheduler = new VirtualScheduler(start);
    const open = new Map<string, CallRecord>();
    const lastCallOf = new Map<string, CallRecord>();
    const journal: CallJournal = {
      placing: (call: LiveCall) => {
        open.set(call.id, {
          outcome: 'failed',
          dialedAt: scheduler.nowMs(),
          answeredAt: null,
          connectedAt: null,
          endedAt: 0,
          wrapUpEndedAt: null,
        });
        return true;
      },
      answered: (call) => {
        const r = open.get(call.id);
        if (r) r.answeredAt = scheduler.nowMs();
      },
      connected: (call, agent: AgentSeat) => {
        const r = open.get(call.id);
        if (!r) return;
        r.connectedAt = scheduler.nowMs();
        lastCallOf.set(agent.id, r);
      },
      finished: (call, outcome) => {
        const r = open.get(call.id);
        if (!r) return;
        open.delete(call.id);
        r.outcome = outcome;
        r.endedAt = scheduler.nowMs();
        records.push(r);
      },
      agentMoved: (seat, from) => {
        if (from !== 'wrap_up') return;
        const r = lastCallOf.get(seat.id);
        if (r && r.wrapUpEndedAt === null) r.wrapUpEndedAt = scheduler.nowMs();
      },
    };
    const random = new Random(opts.seed * 1000 + day);
    const sim = new CampaignSimulation({
      scheduler,
      carrier: new SimulatedCarrier(scheduler, random.fork(), opts.callees),
      random: random.fork(),
      agents: opts.agents,
      mode: opts.mode,
      abandonCap: 0.03,
      wrapUpMs: opts.wrapUpMs,
      journal,
    });
    sim.start();
    scheduler.runUntil(start + opts.dayMs);
    sim.stop();
    // Calls under way at the end of the day finish (no new ones are placed).
    scheduler.runUntil(start + opts.dayMs + 3_600_000);
  });
  return records;
}

/** Writes the history as call logs of one contact of the campaign (learning reads the logs, not the contacts). */
export async function insertHistory(
  db: Executor,
  where: { centerId: number; campaignId: number; listId: number; contactId: number; phone: string },
  records: CallRecord[],
): Promise<void> {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  for (let i = 0; i < records.length; i += 1000) {
    await db
      .insertInto('call_logs')
      .values(
        records.slice(i, i + 1000).map((r, j) => ({
          uid: randomUUID(),
          contact_center_id: where.centerId,
          campaign_id: where.campaignId,
          lead_list_id: where.listId,
          contact_id: where.contactId,
          phone_e164: where.phone,
          caller_id: null,
          dialing_mode: 'predictive' as const,
          engine_owner: 'history',
          attempt: i + j + 1,
          agent_user_id: null,
          status: 'ended' as const,
          outcome: r.outcome,
          dialed_at: new Date(r.dialedAt),
          answered_at: at(r.answeredAt),
          connected_at: at(r.connectedAt),
          ended_at: new Date(r.endedAt),
          wrap_up_ended_at: at(r.wrapUpEndedAt),
          created_at: new Date(r.dialedAt),
          updated_at: new Date(r.endedAt),
        })),
      )
      .execute();
  }
}
