import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import wavefile from 'wavefile';
import { scriptedCallees } from '../../src/engine/simulated-carrier.js';
import { LiveWorld } from './support/live.js';

// The campaign's machine-detection settings and its recorded message, through the engine and the
// database on virtual time (the simulated carrier plays a message for its recorded length, and
// without detection it cannot tell a machine from a person). The SIP carrier's side of the same
// is tested against real peers in test/telephony/messages-on-sip.test.ts.

const MACHINES = ['+919700000001', '+919700000002', '+919700000003', '+919700000004'];
/** Answers and hangs up 500 ms later: in the middle of any message. */
const IMPATIENT = '+919700000099';
const MINUTE = 60_000;

interface Log {
  phone_number: string;
  outcome: string | null;
  agent_id: string | null;
  answered_at: string | null;
  connected_at: string | null;
  ended_at: string | null;
  message_version: number | null;
  message_played: string | null;
}

function messageWav(ms: number): Buffer {
  const file = new wavefile.WaveFile();
  const samples = new Int16Array((ms * 8000) / 1000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 700 * i) / 8000));
  file.fromScratch(1, 8000, '16', samples);
  return Buffer.from(file.toBuffer());
}

describe('machine detection and the recorded message, per campaign, through the engine', () => {
  let w: LiveWorld;
  let phoneSeq = 0;
  const people = (n: number) => Array.from({ length: n }, () => `+9198${String(10000000 + phoneSeq++)}`);
  before(async () => {
    w = await LiveWorld.create();
    const machine = { outcome: 'machine' as const, afterMs: 4000, talkMs: 30_000 };
    w.host(
      'node-a',
      scriptedCallees(
        {
          ...Object.fromEntries(MACHINES.map((n) => [n, [machine]])),
          [IMPATIENT]: [{ outcome: 'person', afterMs: 3000, talkMs: 500 }],
        },
        { outcome: 'person', afterMs: 3000, talkMs: 60_000 },
      ),
    );
  });
  after(() => w.close());

  const logsOf = async (campaignId: string): Promise<Log[]> =>
    (await w.ok('GET', `/v1/call-logs/campaign/${campaignId}?limit=100`)).data;
  const upload = async (campaignId: string, ms: number) => {
    const res = await w.api()({
      method: 'PUT',
      url: `/v1/campaigns/${campaignId}/message`,
      payload: messageWav(ms),
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { version: number };
  };
  const finish = async (campaignId: string) => {
    await w.stop(campaignId);
    await w.run(2 * MINUTE);
  };

  test('agentless: each answer hears the message and is hung up at its end; one who hangs up first heard part of it', async () => {
    const campaign = await w.campaign({
      dialing_mode: 'agentless',
      max_concurrent_calls: 5,
      machine_detection: false,
    });
    await upload(campaign.id, 1500);
    const replaced = await upload(campaign.id, 2000);
    const list = await w.list(campaign.id, 'Agentless list');
    await w.contacts(list.id, [...people(2), IMPATIENT]);
    await w.start(campaign.id);
    await w.run(20_000);
    const logs = await logsOf(campaign.id);
    assert.equal(logs.length, 3);
    for (const log of logs) {
      assert.equal(log.outcome, 'answered', JSON.stringify(log));
      assert.equal(log.message_version, replaced.version);
      const heardMs = Date.parse(log.ended_at!) - Date.parse(log.answered_at!);
      if (log.phone_number === IMPATIENT) {
        assert.equal(log.message_played, 'partial');
        assert.equal(heardMs, 500);
      } else {
        assert.equal(log.message_played, 'complete');
        assert.equal(heardMs, 2000, 'hung up as the 2 s message ended');
      }
    }
    const done = await w.ok('GET', `/v1/campaigns/${campaign.id}`);
    assert.equal(done.status, 'completed', 'every contact heard it: nothing left to call');
  });

  test('a machine is hung up on by default; with play_message it hears the message and its agent is free meanwhile; detection off puts it through as a person', async () => {
    const campaign = await w.campaign({ dialing_mode: 'progressive', wrap_up_seconds: 5 });
    await upload(campaign.id, 3000);
    const list = await w.list(campaign.id, 'Machine list');
    await w.contacts(list.id, [MACHINES[0]!]);
    const [agent] = await w.agents(campaign.id, 1);
    await w.start(campaign.id);
    await w.run(10_000);
    let [log] = await logsOf(campaign.id);
    assert.equal(log!.outcome, 'machine');
    assert.equal(log!.message_played, null, 'hung up: no message');
    assert.equal(Date.parse(log!.ended_at!), Date.parse(log!.answered_at!));

    // Settings changed on the running campaign reach its dialer within a tick.
    await w.ok('PATCH', `/v1/campaigns/${campaign.id}`, { machine_action: 'play_message' });
    await w.run(1000);
    await w.contacts(list.id, [MACHINES[1]!]);
    await w.run(5500); // dialled within a tick, answered by the machine 4 s later
    const desk = await (await w.desk(agent!)({ method: 'GET', url: '/v1/desk' })).json();
    assert.equal(
      desk.session.state,
      'available',
      'the agent reserved for a machine is free while it hears the message',
    );
    await w.run(5000);
    log = (await logsOf(campaign.id)).find((l) => l.phone_number === MACHINES[1]);
    assert.equal(log!.outcome, 'machine');
    assert.equal(log!.message_played, 'complete');
    assert.equal(log!.message_version, 1);
    assert.equal(log!.connected_at, null);
    assert.equal(Date.parse(log!.ended_at!) - Date.parse(log!.answered_at!), 3000);

    await w.ok('PATCH', `/v1/campaigns/${campaign.id}`, { machine_detection: false });
    await w.run(1000);
    await w.contacts(list.id, [MACHINES[2]!]);
    await w.run(7000);
    log = (await logsOf(campaign.id)).find((l) => l.phone_number === MACHINES[2]);
    assert.ok(log!.connected_at, `undetected, the machine went to the agent: ${JSON.stringify(log)}`);
    assert.equal(log!.agent_id, agent!.id);
    assert.equal(log!.message_played, null);
    await finish(campaign.id);
  });

  test('play_message with no message uploaded hangs the machine up', async () => {
    const campaign = await w.campaign({
      dialing_mode: 'power',
      machine_action: 'play_message',
      wrap_up_seconds: 5,
    });
    const list = await w.list(campaign.id, 'No message list');
    await w.contacts(list.id, [MACHINES[3]!]);
    await w.agents(campaign.id, 1);
    await w.start(campaign.id);
    await w.run(10_000);
    const log = (await logsOf(campaign.id)).find((l) => l.phone_number === MACHINES[3]);
    assert.equal(log!.outcome, 'machine');
    assert.equal(log!.message_played, null);
    assert.equal(Date.parse(log!.ended_at!), Date.parse(log!.answered_at!));
    await finish(campaign.id);
  });
});
