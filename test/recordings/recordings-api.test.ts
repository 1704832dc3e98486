import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import wavefile from 'wavefile';
import { recordingsFor } from '../../src/services/recordings/record-call.js';
import { RecordingRetentionWorker } from '../../src/services/recordings/delete-recordings.js';
import {
  as,
  readWriteKey,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../helpers/harness.js';
import { connectedCall, talk, type RecordedCall } from '../helpers/recordings.js';

let t: TestApp;
let a: SeededCenter;
let b: SeededCenter;

before(async () => {
  t = await startTestApp();
  a = await seedCenter(t, 'reca');
  b = await seedCenter(t, 'recb');
});
after(async () => {
  await t.close();
});

describe('call recordings', () => {
  let call: RecordedCall;
  let wav: Buffer;

  before(async () => {
    call = await connectedCall(t, a, 'all');
    const clock = { ms: 0 };
    const recordings = recordingsFor(t.deps, { monotonicNow: () => clock.ms });
    const recording = await recordings.open({ contactCenterId: a.center.id }, call.callLogId);
    assert.ok(recording, 'a campaign recording all calls records this one');
    assert.equal(recordings.active, 1);
    talk(recording, clock, 2);
    await recording.finish();
    assert.equal(recordings.active, 0);
    assert.equal(
      await recordings.open({ contactCenterId: a.center.id }, call.callLogId),
      undefined,
      'one recording per call',
    );
  });

  test('the call log links its recording; a supervisor downloads the whole file, audited', async () => {
    const log = await as(t, a.tokens.supervisor)({ method: 'GET', url: `/v1/call-logs/${call.callId}` });
    assert.equal(log.statusCode, 200, log.body);
    assert.equal(log.json().has_recording, true);
    assert.equal(log.json().recording_url, `/v1/call-logs/${call.callId}/recording`);
    const res = await as(t, a.tokens.supervisor)({ method: 'GET', url: log.json().recording_url });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'audio/wav');
    assert.equal(res.headers['accept-ranges'], 'bytes');
    wav = res.rawPayload;
    assert.equal(Number(res.headers['content-length']), wav.length);
    const file = new wavefile.WaveFile(wav);
    assert.equal((file.fmt as { numChannels: number }).numChannels, 2);
    assert.equal(wav.length, 44 + 2 * 8000 * 2 * 2, 'two seconds, two channels, 16 bits');
    const audit = await as(t, a.tokens.admin)({ method: 'GET', url: '/v1/audit-log?action=recording.play' });
    const rows = audit.json().data.filter((r: { entity_id: string }) => r.entity_id === call.callId);
    assert.equal(rows.length, 1, audit.body);
    assert.equal(rows[0].after.bytes, 'all');
  });

  test('range requests: 206 with Content-Range, suffix and open ranges; 416 outside the file', async () => {
    const get = (range: string) =>
      as(
        t,
        a.tokens.admin,
      )({ method: 'GET', url: `/v1/call-logs/${call.callId}/recording`, headers: { range } });
    const part = await get('bytes=100-199');
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-199/${wav.length}`);
    assert.deepEqual(part.rawPayload, wav.subarray(100, 200));
    const tail = await get('bytes=-10');
    assert.equal(tail.statusCode, 206);
    assert.deepEqual(tail.rawPayload, wav.subarray(wav.length - 10));
    const open = await get(`bytes=${wav.length - 5}-`);
    assert.equal(open.headers['content-range'], `bytes ${wav.length - 5}-${wav.length - 1}/${wav.length}`);
    assert.equal(open.rawPayload.length, 5);
    const beyond = await get(`bytes=${wav.length}-`);
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], `bytes */${wav.length}`);
    const garbage = await get('pages=1-2');
    assert.equal(garbage.statusCode, 200, 'a Range header that is not one is ignored');
    assert.equal(garbage.rawPayload.length, wav.length);
  });

  test('another center gets 404; an agent gets 403; a read API key may download', async () => {
    const url = `/v1/call-logs/${call.callId}/recording`;
    const other = await as(t, b.tokens.admin)({ method: 'GET', url });
    assert.equal(other.statusCode, 404);
    const agent = await as(t, a.tokens.agent)({ method: 'GET', url });
    assert.equal(agent.statusCode, 403);
    const key = await readWriteKey(t, a);
    const byKey = await as(t, key)({ method: 'GET', url });
    assert.equal(byKey.statusCode, 200);
  });

  test('a campaign that does not record opens no recording', async () => {
    const plain = await connectedCall(t, a, 'none');
    const recording = await recordingsFor(t.deps).open({ contactCenterId: a.center.id }, plain.callLogId);
    assert.equal(recording, undefined);
    const res = await as(
      t,
      a.tokens.admin,
    )({ method: 'GET', url: `/v1/call-logs/${plain.callId}/recording` });
    assert.equal(res.statusCode, 404);
  });

  test('the agent on the call pauses and resumes from the desk: audited, followed by the recorder', async () => {
    const onDemand = await connectedCall(t, a, 'all');
    const agent = as(t, a.tokens.agent);
    const login = await agent({
      method: 'POST',
      url: '/v1/desk/login',
      payload: { campaign_id: onDemand.campaign.id },
    });
    assert.equal(login.statusCode, 200, login.body);
    const notYet = await agent({ method: 'POST', url: '/v1/desk/recording/pause' });
    assert.equal(notYet.statusCode, 409, 'no recorded call at hand');
    await t.deps.db
      .updateTable('agent_sessions')
      .set({ state: 'on_call', call_log_id: onDemand.callLogId })
      .where('user_id', '=', a.agent.id)
      .where('state', '<>', 'logged_out')
      .execute();
    const clock = { ms: 0 };
    // Looked up only once an hour: the recorder can follow the desk within this test only by the
    // desk's announcement of each change, as it commits.
    const recordings = recordingsFor(t.deps, { monotonicNow: () => clock.ms, pollMs: 3_600_000 });
    const recording = await recordings.open({ contactCenterId: a.center.id }, onDemand.callLogId);
    assert.ok(recording);
    await recordings.start();
    const desk = await agent({ method: 'GET', url: '/v1/desk' });
    assert.deepEqual(desk.json().recording, { active: true, paused: false });
    talk(recording, clock, 1);
    const paused = await agent({ method: 'POST', url: '/v1/desk/recording/pause' });
    assert.equal(paused.statusCode, 200, paused.body);
    assert.deepEqual(paused.json().recording, { active: true, paused: true });
    // The supervisor is not the agent on the call.
    const supervisor = await as(t, a.tokens.supervisor)({ method: 'POST', url: '/v1/desk/recording/resume' });
    assert.equal(supervisor.statusCode, 404, 'no desk session of theirs');
    for (let i = 0; i < 200 && !recording.paused; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(recording.paused, true, 'the recorder follows the desk');
    talk(recording, clock, 1);
    const resumed = await agent({ method: 'POST', url: '/v1/desk/recording/resume' });
    assert.deepEqual(resumed.json().recording, { active: true, paused: false });
    for (let i = 0; i < 200 && recording.paused; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(recording.paused, false);
    talk(recording, clock, 1);
    await recordings.stop();
    const row = await t.deps.db
      .selectFrom('recordings')
      .selectAll()
      .where('call_log_id', '=', onDemand.callLogId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'available');
    assert.equal(row.pauses.length, 1);
    assert.ok(Math.abs(row.pauses[0]!.startMs - 1000) <= 20 && Math.abs(row.pauses[0]!.endMs - 2000) <= 20);
    // The timeline's view of it: the pause as kept, in the recording's metadata.
    const metadata = await as(
      t,
      a.tokens.supervisor,
    )({ method: 'GET', url: `/v1/call-logs/${onDemand.callId}/recording/metadata` });
    assert.equal(metadata.statusCode, 200, metadata.body);
    assert.deepEqual(metadata.json().pauses, [
      { start_ms: row.pauses[0]!.startMs, end_ms: row.pauses[0]!.endMs },
    ]);
    assert.equal(metadata.json().duration_ms, row.duration_ms);
    assert.equal(metadata.json().audio_url, `/v1/call-logs/${onDemand.callId}/recording`);
    const audit = await as(
      t,
      a.tokens.admin,
    )({ method: 'GET', url: '/v1/audit-log?entity_id=' + onDemand.callId });
    const actions = audit.json().data.map((r: { action: string }) => r.action);
    assert.ok(actions.includes('recording.pause') && actions.includes('recording.resume'), audit.body);
    await t.deps.db
      .updateTable('agent_sessions')
      .set({ state: 'logged_out', call_log_id: null })
      .where('user_id', '=', a.agent.id)
      .execute();
  });

  test("a contact's erasure deletes its recordings (the file with the worker's next round)", async () => {
    const erased = await connectedCall(t, b, 'all');
    const clock = { ms: 0 };
    const recording = await recordingsFor(t.deps, { monotonicNow: () => clock.ms }).open(
      { contactCenterId: b.center.id },
      erased.callLogId,
    );
    talk(recording!, clock, 1);
    await recording!.finish();
    const row = await t.deps.db
      .selectFrom('recordings')
      .selectAll()
      .where('call_log_id', '=', erased.callLogId)
      .executeTakeFirstOrThrow();
    const admin = as(t, b.tokens.admin);
    const removed = await admin({ method: 'DELETE', url: `/v1/contacts/${erased.contact.id}` });
    assert.equal(removed.statusCode, 200, removed.body);
    const gone = await admin({ method: 'GET', url: `/v1/call-logs/${erased.callId}/recording` });
    assert.equal(gone.statusCode, 404, 'no longer played from the moment of the erasure');
    const audit = await admin({ method: 'GET', url: `/v1/audit-log?action=recording.delete` });
    const entry = audit.json().data.find((r: { entity_id: string }) => r.entity_id === row.uid);
    assert.equal(entry?.after.deleted_reason, 'erasure', audit.body);
    assert.equal(await t.deps.recordings.store.exists(row.storage_key), true);
    await new RecordingRetentionWorker(t.deps, { owner: 'test' }).drain();
    assert.equal(await t.deps.recordings.store.exists(row.storage_key), false);
    const purged = await t.deps.db
      .selectFrom('recordings')
      .select(['status', 'purged_at'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(purged.status, 'deleted');
    assert.ok(purged.purged_at);
  });
  test("a completed campaign's contact, which cannot be removed, has its recordings erased on request", async () => {
    const kept = await connectedCall(t, b, 'all');
    const clock = { ms: 0 };
    const recording = await recordingsFor(t.deps, { monotonicNow: () => clock.ms }).open(
      { contactCenterId: b.center.id },
      kept.callLogId,
    );
    talk(recording!, clock, 1);
    await recording!.finish();
    await t.deps.db
      .updateTable('campaigns')
      .set({ status: 'completed' })
      .where('id', '=', kept.campaign.key)
      .execute();
    const row = await t.deps.db
      .selectFrom('recordings')
      .selectAll()
      .where('call_log_id', '=', kept.callLogId)
      .executeTakeFirstOrThrow();
    const admin = as(t, b.tokens.admin);
    const url = `/v1/contacts/${kept.contact.id}/recordings`;
    const removal = await admin({ method: 'DELETE', url: `/v1/contacts/${kept.contact.id}` });
    assert.equal(removal.statusCode, 409, 'the lead is kept as the record of what ran');
    assert.equal((await as(t, a.tokens.admin)({ method: 'DELETE', url })).statusCode, 404, 'another center');
    assert.equal((await as(t, b.tokens.agent)({ method: 'DELETE', url })).statusCode, 403, 'an agent');
    assert.equal(
      (await admin({ method: 'GET', url: `/v1/call-logs/${kept.callId}/recording` })).statusCode,
      200,
      'refused requests erased nothing',
    );

    const erasure = await as(t, b.tokens.supervisor)({ method: 'DELETE', url });
    assert.equal(erasure.statusCode, 200, erasure.body);
    assert.deepEqual(erasure.json(), { contact_id: kept.contact.id, erased: 1 });
    const gone = await admin({ method: 'GET', url: `/v1/call-logs/${kept.callId}/recording` });
    assert.equal(gone.statusCode, 404, 'no longer played from the moment of the erasure');
    const audit = await admin({ method: 'GET', url: `/v1/audit-log?action=recording.delete` });
    const entry = audit.json().data.find((r: { entity_id: string }) => r.entity_id === row.uid);
    assert.equal(entry?.after.deleted_reason, 'erasure', audit.body);
    const asked = await admin({ method: 'GET', url: `/v1/audit-log?action=contact.erase_recordings` });
    assert.deepEqual(
      asked.json().data.map((r: { entity_id: string; after: unknown }) => [r.entity_id, r.after]),
      [[kept.contact.id, { erased: 1 }]],
      asked.body,
    );
    assert.deepEqual((await admin({ method: 'DELETE', url })).json(), {
      contact_id: kept.contact.id,
      erased: 0,
    });

    await new RecordingRetentionWorker(t.deps, { owner: 'test' }).drain();
    assert.equal(await t.deps.recordings.store.exists(row.storage_key), false, 'the file is removed');
    const contact = await admin({ method: 'GET', url: `/v1/contacts/${kept.contact.id}` });
    assert.equal(contact.statusCode, 200, 'the lead itself is kept');
  });

  test('a campaign’s recording announcement: uploaded like its message (normalised to 8 kHz), audited, per center', async () => {
    const { campaign } = await connectedCall(t, b, 'all');
    const source = new wavefile.WaveFile();
    const samples = new Int16Array(16000);
    for (let i = 0; i < samples.length; i++)
      samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 500 * i) / 16000));
    source.fromScratch(1, 16000, '16', samples);
    const admin = as(t, b.tokens.admin);
    const url = `/v1/campaigns/${campaign.id}/recording-announcement`;
    const put = await admin({
      method: 'PUT',
      url,
      headers: { 'content-type': 'audio/wav' },
      payload: Buffer.from(source.toBuffer()),
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().duration_ms, 1000);
    assert.equal(put.json().sample_rate, 8000);
    assert.equal(put.json().audio_url, url);
    const got = await admin({ method: 'GET', url });
    assert.equal(got.statusCode, 200);
    const stored = new wavefile.WaveFile(got.rawPayload);
    assert.equal((stored.fmt as { sampleRate: number }).sampleRate, 8000);
    assert.equal((await as(t, a.tokens.admin)({ method: 'GET', url })).statusCode, 404, 'another center');
    const bad = await admin({
      method: 'PUT',
      url,
      headers: { 'content-type': 'audio/wav' },
      payload: Buffer.from('nope'),
    });
    assert.equal(bad.statusCode, 400);
    assert.equal((await admin({ method: 'DELETE', url })).statusCode, 204);
    assert.equal((await admin({ method: 'GET', url })).statusCode, 404);
    const audit = await admin({ method: 'GET', url: `/v1/audit-log?entity_id=${campaign.id}` });
    const actions = audit.json().data.map((r: { action: string }) => r.action);
    assert.ok(
      actions.includes('campaign.announcement.upload') && actions.includes('campaign.announcement.delete'),
    );
  });
  test('retention deletes a recording past its center’s days: file gone, row marked, audited', async () => {
    const old = await connectedCall(t, a, 'all');
    const clock = { ms: 0 };
    const recording = await recordingsFor(t.deps, { monotonicNow: () => clock.ms }).open(
      { contactCenterId: a.center.id },
      old.callLogId,
    );
    talk(recording!, clock, 1);
    await recording!.finish();
    const row = await t.deps.db
      .selectFrom('recordings')
      .selectAll()
      .where('call_log_id', '=', old.callLogId)
      .executeTakeFirstOrThrow();
    assert.equal(await t.deps.recordings.store.exists(row.storage_key), true);
    const center = await as(
      t,
      a.tokens.admin,
    )({ method: 'PATCH', url: '/v1/contact-center', payload: { recording_retention_days: 30 } });
    assert.equal(center.json().recording_retention_days, 30);
    const worker = new RecordingRetentionWorker(t.deps, { owner: 'test' });
    // Access tokens do not outlive a month: an API key does.
    const key = await readWriteKey(t, a);
    t.clock.advance(29 * 86_400_000);
    assert.equal(await worker.drain(), 0, 'within the retention period nothing goes');
    t.clock.advance(2 * 86_400_000);
    assert.ok((await worker.drain()) >= 1);
    assert.equal(await t.deps.recordings.store.exists(row.storage_key), false);
    const deleted = await t.deps.db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(deleted.status, 'deleted');
    assert.equal(deleted.deleted_reason, 'retention');
    assert.ok(deleted.purged_at);
    const res = await as(t, key)({ method: 'GET', url: `/v1/call-logs/${old.callId}/recording` });
    assert.equal(res.statusCode, 404);
    const log = await as(t, key)({ method: 'GET', url: `/v1/call-logs/${old.callId}` });
    assert.equal(log.json().has_recording, false);
    const audit = await as(t, key)({ method: 'GET', url: `/v1/audit-log?action=recording.delete` });
    const entry = audit.json().data.find((r: { entity_id: string }) => r.entity_id === row.uid);
    assert.equal(entry?.after.deleted_reason, 'retention', audit.body);
    assert.equal(entry?.actor_id, 'recording-retention');
  });
});
