import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  planAgentShares,
  SLACK_SHARE,
  type AgentSharePlan,
  type CampaignSessions,
} from '../../src/services/engine/agent-shares.js';

/** A campaign's sessions: how many are open and who holds how many of them. */
function campaign(campaignId: number, open: number, owned: Record<string, number> = {}): CampaignSessions {
  return { campaignId, open, owned: new Map(Object.entries(owned)) };
}

/** The plan as plain data: campaign → node → sessions, without empty entries. */
function plain(plan: AgentSharePlan): Record<number, Record<string, number>> {
  const out: Record<number, Record<string, number>> = {};
  for (const [id, shares] of plan) {
    const row: Record<string, number> = {};
    for (const [node, n] of [...shares].sort()) if (n > 0) row[node] = n;
    out[id] = row;
  }
  return out;
}

function loads(plan: AgentSharePlan, nodes: string[]): number[] {
  return nodes.map((node) => [...plan.values()].reduce((sum, shares) => sum + (shares.get(node) ?? 0), 0));
}

/** Every campaign's sessions all given out, and no node above total ÷ nodes plus the slack. */
function assertBalanced(plan: AgentSharePlan, nodes: string[], campaigns: CampaignSessions[]): void {
  for (const c of campaigns) {
    const given = [...(plan.get(c.campaignId)?.values() ?? [])].reduce((a, b) => a + b, 0);
    assert.equal(given, c.open, `campaign ${c.campaignId} given out whole`);
  }
  const total = campaigns.reduce((sum, c) => sum + c.open, 0);
  const most = Math.ceil(total / nodes.length) + Math.floor((SLACK_SHARE * total) / nodes.length);
  for (const load of loads(plan, nodes)) assert.ok(load <= most, `load ${load} ≤ ${most}`);
}

/** The nodes holding some of the campaign's sessions. */
function holders(c: CampaignSessions): string {
  return [...c.owned]
    .filter(([, n]) => n > 0)
    .map(([node]) => node)
    .sort()
    .join(',');
}

/** The sessions each node holds once the plan is carried out. */
function carriedOut(plan: AgentSharePlan, campaigns: CampaignSessions[]): CampaignSessions[] {
  return campaigns.map((c) =>
    campaign(c.campaignId, c.open, Object.fromEntries(plan.get(c.campaignId) ?? [])),
  );
}

describe('planAgentShares: whole campaigns per engine process', () => {
  test('four equal campaigns on two processes: two whole campaigns each', () => {
    const nodes = ['a', 'b'];
    const campaigns = [1, 2, 3, 4].map((id) => campaign(id, 250));
    const plan = planAgentShares(nodes, campaigns);
    assert.deepEqual(plain(plan), { 1: { a: 250 }, 2: { b: 250 }, 3: { a: 250 }, 4: { b: 250 } });
    assert.deepEqual(loads(plan, nodes), [500, 500]);
  });

  test('uneven campaigns packed whole when the balance allows', () => {
    const nodes = ['a', 'b'];
    const campaigns = [campaign(1, 300), campaign(2, 250), campaign(3, 250), campaign(4, 200)];
    const plan = planAgentShares(nodes, campaigns);
    for (const shares of plan.values()) assert.equal(shares.size, 1, 'every campaign whole');
    assertBalanced(plan, nodes, campaigns);
    assert.deepEqual(loads(plan, nodes), [500, 500]);
  });

  test('a campaign larger than a fair share is split over as few processes as it takes', () => {
    const nodes = ['a', 'b', 'c'];
    const campaigns = [campaign(1, 700), campaign(2, 100), campaign(3, 100)];
    const plan = planAgentShares(nodes, campaigns);
    assertBalanced(plan, nodes, campaigns);
    assert.equal(plan.get(1)!.size, 3, '700 of 900 cannot fit in two shares of 300');
    assert.equal(plan.get(2)!.size, 1);
    assert.equal(plan.get(3)!.size, 1);

    const two = planAgentShares(['a', 'b', 'c'], [campaign(1, 600), campaign(2, 150), campaign(3, 150)]);
    assert.equal(two.get(1)!.size, 2, '600 of 900: two processes');
    assert.equal(two.get(2)!.size, 1);
    assert.equal(two.get(3)!.size, 1);
  });

  test('where whole campaigns cannot balance, one is split and every process stays near its share', () => {
    const nodes = ['a', 'b'];
    const campaigns = [campaign(1, 400), campaign(2, 400), campaign(3, 200)];
    const plan = planAgentShares(nodes, campaigns);
    assertBalanced(plan, nodes, campaigns);
    assert.deepEqual(loads(plan, nodes), [500, 500]);
    assert.equal([...plan.values()].filter((shares) => shares.size > 1).length, 1, 'one campaign split');
  });

  test('a small center is shared out exactly; a larger one keeps a campaign whole a little above the fair share', () => {
    assert.deepEqual(plain(planAgentShares(['a', 'b'], [campaign(1, 6, { a: 6 })])), { 1: { a: 3, b: 3 } });
    assert.deepEqual(plain(planAgentShares(['a', 'b'], [campaign(1, 2, { a: 2 })])), { 1: { a: 1, b: 1 } });
    assert.deepEqual(
      plain(planAgentShares(['a', 'b'], [campaign(1, 1, { a: 1 }), campaign(2, 1, { a: 1 })])),
      {
        1: { a: 1 },
        2: { b: 1 },
      },
    );
    // Fair share 25, slack 1.
    assert.deepEqual(
      plain(planAgentShares(['a', 'b'], [campaign(1, 26, { a: 26 }), campaign(2, 24, { b: 24 })])),
      {
        1: { a: 26 },
        2: { b: 24 },
      },
    );
  });

  test('stable: a campaign stays where it is as agents log in and out', () => {
    const nodes = ['a', 'b'];
    // Placed the other way round from what a fresh plan would choose.
    let campaigns = [
      campaign(1, 250, { b: 250 }),
      campaign(2, 250, { a: 250 }),
      campaign(3, 250, { b: 250 }),
      campaign(4, 250, { a: 250 }),
    ];
    const before = plain(planAgentShares(nodes, campaigns));
    assert.deepEqual(before, { 1: { b: 250 }, 2: { a: 250 }, 3: { b: 250 }, 4: { a: 250 } });
    for (const [id, change] of [
      [1, +1],
      [1, -1],
      [2, +1],
      [3, -1],
      [4, +1],
      [4, -1],
    ] as const) {
      const changed = campaigns.map((c) =>
        c.campaignId === id ? campaign(id, c.open + change, Object.fromEntries(c.owned)) : c,
      );
      const plan = planAgentShares(nodes, changed);
      for (const c of changed) {
        const shares = plan.get(c.campaignId)!;
        assert.equal(shares.size, 1, `campaign ${c.campaignId} whole after ${change} in ${id}`);
        assert.equal(shares.get(c.owned.keys().next().value!), c.open, `campaign ${c.campaignId} stays put`);
      }
    }
    // Drifting apart one agent at a time: nothing moves until the balance requires it.
    let moves = 0;
    for (let step = 0; step < 60; step++) {
      campaigns = campaigns.map((c) =>
        c.campaignId === 1 ? campaign(1, c.open + 1, Object.fromEntries(c.owned)) : c,
      );
      const plan = planAgentShares(nodes, campaigns);
      assertBalanced(plan, nodes, campaigns);
      const next = carriedOut(plan, campaigns);
      moves += next.filter((c, i) => holders(c) !== holders(campaigns[i]!)).length;
      campaigns = next;
    }
    assert.ok(moves <= 3, `${moves} campaigns moved or split while one grew by 60`);
  });

  test('stable: a campaign split over processes does not go whole and back as one agent comes and goes', () => {
    const nodes = ['a', 'b'];
    const others = [campaign(2, 100, { b: 100 })];
    const split = planAgentShares(nodes, [campaign(1, 600, { a: 600 }), ...others]);
    assert.deepEqual(plain(split), { 1: { a: 350, b: 250 }, 2: { b: 100 } });
    let owned: Record<string, number> = { a: 350, b: 250 };
    for (const open of [601, 600, 599, 600, 601]) {
      const plan = plain(planAgentShares(nodes, [campaign(1, open, owned), ...others]));
      assert.equal(Object.keys(plan[1]!).length, 2, `${open}: still split`);
      assert.ok(Math.abs(plan[1]!.a! - owned.a!) <= 1, `${open}: at most one agent moves`);
      owned = plan[1]!;
    }
  });

  test('the same inputs give every process the same plan, whatever order it lists them in', () => {
    const campaigns = [
      campaign(7, 120, { a: 60, b: 60 }),
      campaign(3, 340, { c: 340 }),
      campaign(5, 90),
      campaign(9, 333, { a: 100, b: 200, c: 33 }),
      campaign(2, 17, { b: 17 }),
    ];
    const plan = plain(planAgentShares(['a', 'b', 'c'], campaigns));
    assert.deepEqual(plain(planAgentShares(['c', 'a', 'b'], [...campaigns].reverse())), plan);
    assert.deepEqual(
      plain(planAgentShares(['b', 'c', 'a'], [...campaigns.slice(2), ...campaigns.slice(0, 2)])),
      plan,
    );
  });

  test('a node that dies: the survivors take its campaigns; one that joins takes whole campaigns', () => {
    const campaigns = [
      campaign(1, 250, { a: 250 }),
      campaign(2, 250, { b: 250 }),
      campaign(3, 250, { a: 250 }),
      campaign(4, 250, { b: 250 }),
    ];
    assert.deepEqual(plain(planAgentShares(['a'], campaigns)), {
      1: { a: 250 },
      2: { a: 250 },
      3: { a: 250 },
      4: { a: 250 },
    });
    const joined = planAgentShares(['a', 'b', 'c'], campaigns);
    // Four equal campaigns over three processes: three whole, the fourth shared by all three.
    assert.equal([...joined.values()].filter((shares) => shares.size > 1).length, 1, 'one campaign split');
    for (const id of [1, 2])
      assert.deepEqual(plain(joined)[id], Object.fromEntries(campaigns[id - 1]!.owned));
    assertBalanced(joined, ['a', 'b', 'c'], campaigns);
    assert.ok(loads(joined, ['a', 'b', 'c'])[2]! > 0, 'the new process gets agents');
  });

  test('the even split of before is brought together: each campaign whole, on the process listed first', () => {
    const campaigns = [1, 2, 3, 4].map((id) => campaign(id, 250, { a: 125, b: 125 }));
    assert.deepEqual(plain(planAgentShares(['a', 'b'], campaigns)), {
      1: { a: 250 },
      2: { a: 250 },
      3: { b: 250 },
      4: { b: 250 },
    });
  });

  test('no live process, or no agents: an empty plan', () => {
    assert.equal(planAgentShares([], [campaign(1, 5)]).size, 0);
    assert.equal(planAgentShares(['a'], [campaign(1, 0)]).size, 0);
  });
});
