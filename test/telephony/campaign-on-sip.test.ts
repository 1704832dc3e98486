import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  FAR_END_NUMBERS,
  scratchDir,
  tonesBySecond,
  toneWav,
} from './support/index.js';
import { parsePublicId } from '../../src/domain/public-ids.js';
import { RecordingRetentionWorker } from '../../src/services/recordings/delete-recordings.js';
import type { RecordedFrame } from '../../src/telephony/media/index.js';
import { as, seedCenter } from '../helpers/harness.js';
import {
  eventually,
  ok,
  SipCampaignWorld,
  type SipAgent,
  type WatchedRecording,
} from './support/sip-campaign.js';

// Campaigns run by the real engine on real time, with the database, over the SIP
// carrier: two agents whose phones are baresip instances registered at Kamailio, customers at the
// SIPp far end who say "Hello?" (machine detection: a person) and then talk (the 1000 Hz tone).
// Every desk step waits for the state the engine must have reached (SipCampaignWorld's helpers),
// never for a time, so the file holds on a loaded machine.

/** Same last three digits as the far end's person number, so each customer is a person who talks on. */
const CUSTOMERS = ['+14155551200', '+14155552200'];
const ANNOUNCED_CUSTOMER = '+14155555200';
const PAUSED_CUSTOMER = '+14155556200';
assert.ok(
  [...CUSTOMERS, ANNOUNCED_CUSTOMER, PAUSED_CUSTOMER].every((n) =>
    n.endsWith(FAR_END_NUMBERS.person.slice(-3)),
  ),
);

/** The announcement's tone: neither party plays it, so wherever it is heard, the announcement was. */
const ANNOUNCEMENT_TONE_HZ = 700;
const ANNOUNCEMENT_SECONDS = 3;
const near = (hz: number, target: number) => Math.abs(hz - target) <= 20;

/**
 * A frame predicate for WatchedRecording.whenHeard: true at the `frames`th frame in a row whose
 * dominant frequency is this tone (a 20 ms frame of speech may peak anywhere; a run of them does not).
 */
function steadyTone(hz: number, frames: number): (frame: RecordedFrame) => boolean {
  let inARow = 0;
  return (frame) => {
    inARow = near(analyseFrequency({ sampleRate: 8000, samples: frame.samples }).dominantHz, hz)
      ? inARow + 1
      : 0;
    return inARow >= frames;
  };
}

/** Two seconds of each side's tone heard by the recording's taps from now on (paused or not). */
async function bothTalkFor2s(recording: WatchedRecording): Promise<void> {
  await Promise.all([
    recording.whenHeard('customer', steadyTone(CUSTOMER_TONE_HZ, 100), '2 s of the customer’s tone'),
    recording.whenHeard('agent', steadyTone(AGENT_TONE_HZ, 100), '2 s of the agent’s tone'),
  ]);
}

/** A stretch of a channel, in ms of the recording's timeline. */
const stretch = (samples: Int16Array, fromMs: number, toMs: number) => ({
  sampleRate: 8000,
  samples: samples.subarray(Math.round(fromMs * 8), Math.round(toMs * 8)),
});

describe('campaigns on the SIP carrier: engine, database, Kamailio, baresip agents, SIPp customers', () => {
  let w: SipCampaignWorld;
  const agents: SipAgent[] = [];
  /** The call whose recording was paused: its file is then played back and aged out. */
  let pausedCallId: string | undefined;

  before(async () => {
    w = await SipCampaignWorld.start();
    for (const extension of ['2001', '2002']) agents.push(await w.agent(extension));
  });
  after(() => w?.stop());

  test("customers are connected to the agents' phones, and each agent hears the customer", async () => {
    // Recorded (docs/recordings.md): each call's file holds the customer left and the agent right.
    const campaign = await w.campaign({ dialing_mode: 'progressive', recording_mode: 'all' }, CUSTOMERS);
    for (const agent of agents) await w.deskLogin(agent, campaign.id);
    await w.start(campaign.id);

    const connected = await eventually(
      async () => {
        const logs = await w.callLogs(campaign.id);
        return logs.length === 2 && logs.every((l) => l.connected_at) ? logs : undefined;
      },
      () => `both customers are connected (errors: ${w.errors().join('; ')})`,
    );
    await eventually(() => (w.carrier.agentLegsUp === 2 ? true : undefined), "both agents' phones are up");
    assert.deepEqual(connected.map((l) => l.phone_number).sort(), [...CUSTOMERS].sort());
    assert.deepEqual(
      connected.map((l) => l.agent_id).sort(),
      agents.map((a) => a.id).sort(),
      'each customer went to a different agent',
    );
    for (const agent of agents) await w.deskState(agent, 'on_call');

    // The customers talk (the tone) from about 2.6 s after their answer; let the agents hear some.
    await new Promise((r) => setTimeout(r, 4000));
    for (const agent of agents) {
      await w.finishCall(agent);
      await w.deskLogout(agent);
    }
    const ended = await eventually(async () => {
      const logs = await w.callLogs(campaign.id);
      return logs.every((l) => l.ended_at) ? logs : undefined;
    }, 'both calls ended');
    for (const log of ended) {
      assert.equal(log.outcome, 'answered', JSON.stringify(log));
      assert.ok(log.connected_at! <= log.ended_at!, JSON.stringify(log));
    }
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );

    // Logging out hung up the agents' standing legs: baresip has written what each agent heard.
    for (const agent of agents) {
      await agent.phone.waitForEvent('CALL_CLOSED');
      const heard = await eventually(() => {
        try {
          const report = agent.phone.heard();
          return report.rms > 100 ? report : undefined;
        } catch {
          return undefined;
        }
      }, `${agent.extension}'s recording is written`);
      assert.ok(
        Math.abs(heard.dominantHz - CUSTOMER_TONE_HZ) <= 20,
        `agent ${agent.extension} heard the customer's tone: ${JSON.stringify(heard)}`,
      );
    }

    // The recordings: both sides of each conversation, each in its channel.
    for (const log of ended) {
      const [customer, agent] = await w.recordingChannels(log.id);
      const heardCustomer = analyseFrequency({ sampleRate: 8000, samples: customer });
      const heardAgent = analyseFrequency({ sampleRate: 8000, samples: agent });
      // No announcement: the agent is joined at once, the first thing in the agent's channel is the agent.
      const agentTones = tonesBySecond({ sampleRate: 8000, samples: agent });
      assert.ok(near(agentTones[0] ?? 0, AGENT_TONE_HZ), `the agent's channel, by second: ${agentTones}`);
      assert.ok(
        Math.abs(heardCustomer.dominantHz - CUSTOMER_TONE_HZ) <= 20,
        `the customer's channel: ${JSON.stringify(heardCustomer)}`,
      );
      assert.ok(
        Math.abs(heardAgent.dominantHz - AGENT_TONE_HZ) <= 20,
        `the agent's channel: ${JSON.stringify(heardAgent)}`,
      );
    }
    assert.deepEqual(w.errors(), []);
  });

  test("a recording campaign's announcement is heard by the customer before the agent, and recorded", async () => {
    const agent = agents[0]!;
    const campaign = await w.campaign({ dialing_mode: 'progressive', recording_mode: 'all' }, [
      ANNOUNCED_CUSTOMER,
    ]);
    const dir = scratchDir('announcement');
    const res = await w.admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/recording-announcement`,
      payload: fs.readFileSync(
        toneWav(path.join(dir, 'announcement.wav'), ANNOUNCEMENT_TONE_HZ, ANNOUNCEMENT_SECONDS),
      ),
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(res.statusCode, 200, res.body);
    // This test's leg of the agent's phone: its events and the file of what it heard, not an earlier test's.
    const [eventsBefore, heardBefore] = [agent.phone.events.length, agent.phone.heardFiles().length];
    await w.deskLogin(agent, campaign.id);
    await w.start(campaign.id);
    const log = await eventually(
      async () => (await w.callLogs(campaign.id)).find((l) => l.connected_at),
      () => `the customer is connected (errors: ${w.errors().join('; ')})`,
    );
    await w.deskState(agent, 'on_call');
    // The engine connected the call at once; the carrier joins the two after the announcement.
    await eventually(
      () => (w.carrier.joinedCalls === 1 ? true : undefined),
      () => `the customer is joined to the agent after the announcement (errors: ${w.errors().join('; ')})`,
      60_000,
    );
    // Let them talk for a while: what the recording and the agent's phone hear.
    await new Promise((r) => setTimeout(r, 4000));
    await w.finishCall(agent);
    await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );

    // The recording's agent channel is what the customer heard: the announcement, then the agent.
    const [, heardByCustomer] = await w.recordingChannels(log.id);
    const tones = tonesBySecond({ sampleRate: 8000, samples: heardByCustomer });
    const firstAnnounced = tones.findIndex((hz) => near(hz, ANNOUNCEMENT_TONE_HZ));
    const lastAnnounced = tones.findLastIndex((hz) => near(hz, ANNOUNCEMENT_TONE_HZ));
    const firstAgent = tones.findIndex((hz) => near(hz, AGENT_TONE_HZ));
    assert.ok(firstAnnounced >= 0 && firstAgent >= 0, `the customer heard, by second: ${tones}`);
    assert.ok(lastAnnounced < firstAgent, `the announcement before the agent, by second: ${tones}`);

    // The agent heard the announcement too (in place of the idle sound), then the customer.
    await agent.phone.waitForEvent('CALL_CLOSED', 10_000, eventsBefore);
    let heard: number[] = [];
    const agentHeard = await eventually(
      () => {
        const file = agent.phone.heardFiles()[heardBefore];
        heard = file ? tonesBySecond(file) : [];
        return heard.some((hz) => near(hz, CUSTOMER_TONE_HZ)) ? heard : undefined;
      },
      () => `the agent's phone has written what it heard; by second: ${heard}`,
    );
    const agentFirstAnnounced = agentHeard.findIndex((hz) => near(hz, ANNOUNCEMENT_TONE_HZ));
    const agentFirstCustomer = agentHeard.findIndex((hz) => near(hz, CUSTOMER_TONE_HZ));
    assert.ok(
      agentFirstAnnounced >= 0 && agentFirstAnnounced < agentFirstCustomer,
      `the agent heard, by second: ${agentHeard}`,
    );
    assert.deepEqual(w.errors(), []);
  });

  test('the agent pauses the recording from the desk: that stretch is silent, both sides before and after, the pause in its metadata', async (context) => {
    const agent = agents[0]!;
    const campaign = await w.campaign({ dialing_mode: 'progressive', recording_mode: 'all' }, [
      PAUSED_CUSTOMER,
    ]);
    await w.deskLogin(agent, campaign.id);
    const recordedBefore = w.recorded.length;
    const [eventsBefore, heardBefore] = [agent.phone.events.length, agent.phone.heardFiles().length];
    await w.start(campaign.id);
    const log = await eventually(
      async () => (await w.callLogs(campaign.id)).find((l) => l.connected_at),
      () => `the customer is connected (errors: ${w.errors().join('; ')})`,
    );
    await w.deskState(agent, 'on_call');
    const recording = await eventually(
      () => w.recorded[recordedBefore],
      "the carrier opens the call's recording",
    );
    pausedCallId = log.id;

    // The recording's timeline starts when its recorder is made: each step below is placed on it
    // by when it really happened (performance.now), so a loaded machine moves the bounds, never the verdict.
    await bothTalkFor2s(recording);
    const pauseAsked = performance.now();
    const paused = await ok(agent.desk, 'POST', '/v1/desk/recording/pause');
    assert.deepEqual(paused.recording, { active: true, paused: true });
    await eventually(() => (recording.paused ? true : undefined), "the recorder follows the desk's pause");
    const pauseFollowed = performance.now();
    // Both keep talking while paused: whatever is silent in the file, the pause made it so.
    await bothTalkFor2s(recording);
    const resumeAsked = performance.now();
    const resumed = await ok(agent.desk, 'POST', '/v1/desk/recording/resume');
    assert.deepEqual(resumed.recording, { active: true, paused: false });
    await eventually(() => (recording.paused ? undefined : true), "the recorder follows the desk's resume");
    const resumeFollowed = performance.now();
    await bothTalkFor2s(recording);
    await w.finishCall(agent);
    await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );

    // The pause as the API gives it for the recording's timeline: where it was asked and followed.
    const [customer, heardByCustomer] = await w.recordingChannels(log.id);
    const metadata = await ok(w.admin, 'GET', `/v1/call-logs/${log.id}/recording/metadata`);
    assert.equal(metadata.pauses.length, 1, JSON.stringify(metadata));
    const [pause] = metadata.pauses as { start_ms: number; end_ms: number }[];
    const onTimeline = (from: number, to: number) => [
      Math.floor(from - recording.openedTo) - 1,
      Math.ceil(to - recording.openedFrom) + 1,
    ];
    const [pauseEarliest, pauseLatest] = onTimeline(pauseAsked, pauseFollowed);
    const [resumeEarliest, resumeLatest] = onTimeline(resumeAsked, resumeFollowed);
    const bounds = JSON.stringify({ pause, pauseEarliest, pauseLatest, resumeEarliest, resumeLatest });
    context.diagnostic(`pause on the recording's timeline, and where it had to be: ${bounds}`);
    assert.ok(pause!.start_ms >= pauseEarliest! && pause!.start_ms <= pauseLatest!, bounds);
    assert.ok(pause!.end_ms >= resumeEarliest! && pause!.end_ms <= resumeLatest!, bounds);
    assert.equal(customer.length, heardByCustomer.length);
    assert.ok(metadata.duration_ms >= pause!.end_ms + 1500, JSON.stringify(metadata));
    assert.equal(Math.round((customer.length * 1000) / 8000), metadata.duration_ms);

    // The paused stretch holds nothing at all on either channel, though both talked throughout it.
    for (const channel of [customer, heardByCustomer]) {
      const silent = stretch(channel, pause!.start_ms, pause!.end_ms).samples;
      assert.ok(silent.length >= 1.5 * 8000, `a paused stretch of ${silent.length} samples`);
      const heard = silent.findIndex((sample) => sample !== 0);
      assert.equal(heard, -1, `sound ${heard / 8} ms into the pause, of ${silent.length / 8} ms`);
    }
    // Before it and after it, each side's tone in its channel (the 500 ms around each edge left out:
    // a frame's place is its arrival to within the network's jitter).
    for (const [from, to] of [
      [pause!.start_ms - 1500, pause!.start_ms - 200],
      [pause!.end_ms + 300, pause!.end_ms + 1500],
    ] as const) {
      const left = analyseFrequency(stretch(customer, from, to));
      const right = analyseFrequency(stretch(heardByCustomer, from, to));
      const where = `${from}-${to} ms: customer ${JSON.stringify(left)}, agent ${JSON.stringify(right)}`;
      assert.ok(near(left.dominantHz, CUSTOMER_TONE_HZ) && left.rms > 1000, where);
      assert.ok(near(right.dominantHz, AGENT_TONE_HZ) && right.rms > 1000, where);
    }

    // Each change is on the call's audit trail.
    const audit = await ok(w.admin, 'GET', `/v1/audit-log?entity_id=${log.id}`);
    const actions = (audit.data as { action: string }[]).map((r) => r.action);
    assert.ok(actions.includes('recording.pause') && actions.includes('recording.resume'), actions.join());

    // The agent's phone heard the customer's side the whole time: the pause is the recording's only.
    await agent.phone.waitForEvent('CALL_CLOSED', 10_000, eventsBefore);
    let agentHeard: number[] = [];
    await eventually(
      () => {
        const file = agent.phone.heardFiles()[heardBefore];
        agentHeard = file ? tonesBySecond(file) : [];
        return agentHeard.filter((hz) => near(hz, CUSTOMER_TONE_HZ)).length >= 6 ? true : undefined;
      },
      () => `the agent's phone heard the customer for 6 s or more; by second: ${agentHeard}`,
    );
    assert.deepEqual(w.errors(), []);
  });

  test('a customer who answers with no agent free is abandoned (hung up) after the patience', async (context) => {
    // Power dialling, two lines for the one agent: both customers answer, one gets the agent, the
    // other waits with nobody to take it.
    const agent = agents[0]!;
    const customers = ['+14155553200', '+14155554200'];
    const campaign = await w.campaign({ dialing_mode: 'power', lines_per_agent: 2 }, customers);
    await w.deskLogin(agent, campaign.id);
    await w.start(campaign.id);

    const logs = await eventually(
      async () => {
        const all = await w.callLogs(campaign.id);
        return all.length === 2 && all.some((l) => l.connected_at) && all.some((l) => l.ended_at)
          ? all
          : undefined;
      },
      () => `one customer connected, the other ended (errors: ${w.errors().join('; ')})`,
    );
    const taken = logs.find((l) => l.connected_at)!;
    const abandoned = logs.find((l) => l !== taken)!;
    assert.equal(taken.agent_id, agent.id);
    assert.equal(abandoned.outcome, 'abandoned', JSON.stringify(abandoned));
    assert.equal(abandoned.connected_at, null);
    assert.ok(abandoned.answered_at, JSON.stringify(abandoned));
    const waitedMs = Date.parse(abandoned.ended_at!) - Date.parse(abandoned.answered_at!);
    context.diagnostic(`abandoned customer hung up ${waitedMs} ms after the engine heard the answer`);
    await eventually(
      () => (w.carrier.liveCalls === 1 ? true : undefined),
      'the abandoned customer is hung up',
    );

    await w.deskState(agent, 'on_call');
    await w.finishCall(agent);
    await w.deskLogout(agent);
    await eventually(
      () => (w.carrier.liveCalls === 0 && w.carrier.agentLegsUp === 0 ? true : undefined),
      'all hung up',
    );
    assert.deepEqual(w.errors(), []);
  });

  test("a SIP call's recording over the API: range requests, refused to another center and to an agent, deleted by retention", async () => {
    assert.ok(pausedCallId, "the paused call's test ran first");
    const url = `/v1/call-logs/${pausedCallId}/recording`;
    const whole = await w.admin({ method: 'GET', url });
    assert.equal(whole.statusCode, 200, whole.body);
    const wav = whole.rawPayload;
    assert.equal(Number(whole.headers['content-length']), wav.length);

    // Seeking: a range from the middle of the call, a suffix, and one past the end.
    const middle = Math.floor(wav.length / 2);
    const part = await w.admin({
      method: 'GET',
      url,
      headers: { range: `bytes=${middle}-${middle + 7999}` },
    });
    assert.equal(part.statusCode, 206, part.body);
    assert.equal(part.headers['content-range'], `bytes ${middle}-${middle + 7999}/${wav.length}`);
    assert.deepEqual(part.rawPayload, wav.subarray(middle, middle + 8000));
    const tail = await w.admin({ method: 'GET', url, headers: { range: 'bytes=-100' } });
    assert.equal(tail.statusCode, 206);
    assert.deepEqual(tail.rawPayload, wav.subarray(wav.length - 100));
    const beyond = await w.admin({ method: 'GET', url, headers: { range: `bytes=${wav.length}-` } });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${wav.length}`);

    // Never across centers (404, as for a call that does not exist), never to a role without recordings:read.
    const other = await seedCenter(w.t, 'othersip');
    for (const path of [url, `${url}/metadata`]) {
      const elsewhere = await as(w.t, other.tokens.admin)({ method: 'GET', url: path });
      assert.equal(elsewhere.statusCode, 404, `another center's admin, ${path}: ${elsewhere.body}`);
      const byAgent = await agents[0]!.desk({ method: 'GET', url: path });
      assert.equal(byAgent.statusCode, 403, `an agent, ${path}: ${byAgent.body}`);
    }
    const supervisor = await as(w.t, w.supervisorToken)({ method: 'GET', url });
    assert.equal(supervisor.statusCode, 200, 'a supervisor may play it');
    const plays = await ok(w.admin, 'GET', `/v1/audit-log?action=recording.play&entity_id=${pausedCallId}`);
    assert.ok((plays.data as unknown[]).length >= 5, `every playback is audited: ${JSON.stringify(plays)}`);

    // Retention: the center keeps recordings 30 days; a worker whose clock reads 29 days on keeps the
    // file, one at 31 days on deletes it. The app's own clock is real time (the tokens stay valid).
    const retention = await w.admin({
      method: 'PATCH',
      url: '/v1/contact-center',
      payload: { recording_retention_days: 30 },
    });
    assert.equal(retention.json().recording_retention_days, 30, retention.body);
    const row = await w.t.deps.db
      .selectFrom('recordings as r')
      .innerJoin('call_logs as c', 'c.id', 'r.call_log_id')
      .select(['r.id', 'r.uid', 'r.storage_key'])
      .where('c.uid', '=', parsePublicId('callLog', pausedCallId)!)
      .executeTakeFirstOrThrow();
    assert.equal(await w.t.deps.recordings.store.exists(row.storage_key), true);
    const daysOn = (days: number) =>
      new RecordingRetentionWorker(
        { ...w.t.deps, clock: { now: () => new Date(Date.now() + days * 86_400_000) } },
        { owner: 'retention-test' },
      );
    assert.equal(await daysOn(29).drain(), 0, 'within the retention period nothing goes');
    assert.equal(await w.t.deps.recordings.store.exists(row.storage_key), true);
    assert.ok((await daysOn(31).drain()) >= 1);
    assert.equal(await w.t.deps.recordings.store.exists(row.storage_key), false, 'the file is gone');
    assert.equal((await w.admin({ method: 'GET', url })).statusCode, 404);
    assert.equal((await ok(w.admin, 'GET', `/v1/call-logs/${pausedCallId}`)).has_recording, false);
    const deletions = await ok(w.admin, 'GET', '/v1/audit-log?action=recording.delete');
    const entry = (
      deletions.data as { entity_id: string; actor_id: string; after: { deleted_reason: string } }[]
    ).find((r) => r.entity_id === row.uid);
    assert.equal(entry?.after.deleted_reason, 'retention', JSON.stringify(deletions));
    assert.equal(entry?.actor_id, 'recording-retention');
  });
});
