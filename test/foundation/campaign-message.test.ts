import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import wavefile from 'wavefile';
import { analyseFrequency } from '../telephony/support/audio.js';
import { as, seedCenter, startTestApp, type SeededCenter, type TestApp } from '../helpers/harness.js';
import { multipart } from '../helpers/multipart.js';
import { readWav } from '../../src/telephony/media/wav.js';

// A campaign's recorded message through the native API: upload (a WAV body or multipart),
// download, replace, delete; every refusal answers a clear 4xx and changes nothing.

function toneSamples(hz: number, ms: number, rate: number): Int16Array {
  const samples = new Int16Array(Math.round((ms * rate) / 1000));
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return samples;
}

function wav(options: {
  hz?: number;
  ms?: number;
  rate?: number;
  channels?: number;
  bits?: string;
  law?: 'mu' | 'a';
}) {
  const { hz = 700, ms = 1500, rate = 8000, channels = 1, bits = '16' } = options;
  const file = new wavefile.WaveFile();
  const mono = toneSamples(hz, ms, rate);
  if (bits === '32f') {
    file.fromScratch(
      channels,
      rate,
      '32f',
      Float64Array.from(mono, (s) => s / 32768),
    );
  } else {
    file.fromScratch(
      channels,
      rate,
      bits,
      channels === 1 ? mono : Array.from({ length: channels }, () => mono),
    );
  }
  if (options.law === 'mu') file.toMuLaw();
  if (options.law === 'a') file.toALaw();
  return Buffer.from(file.toBuffer());
}

describe("a campaign's recorded message", () => {
  let t: TestApp;
  let acme: SeededCenter;
  let globex: SeededCenter;
  let campaignId: string;
  before(async () => {
    t = await startTestApp();
    acme = await seedCenter(t, 'acme');
    globex = await seedCenter(t, 'globex');
    const res = await as(
      t,
      acme.tokens.admin,
    )({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Notice' } });
    campaignId = res.json().id;
  });
  after(() => t.close());

  const put = (token: string, id: string, body: Buffer, type = 'audio/wav') =>
    as(
      t,
      token,
    )({
      method: 'PUT',
      url: `/v1/campaigns/${id}/message`,
      payload: body,
      headers: { 'content-type': type },
    });

  test('a 44.1 kHz 16-bit WAV is stored resampled to 8 kHz; the download is what callees hear, the same tone', async () => {
    const res = await put(acme.tokens.admin, campaignId, wav({ hz: 700, rate: 44100, ms: 1500 }));
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.campaign_id, campaignId);
    assert.equal(body.sample_rate, 8000);
    assert.equal(body.duration_ms, 1500);
    assert.equal(body.version, 1);
    assert.equal(body.audio_url, `/v1/campaigns/${campaignId}/message`);

    const download = await as(t, acme.tokens.agent)({ method: 'GET', url: body.audio_url });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'audio/wav');
    assert.equal(download.headers['x-message-version'], '1');
    assert.equal(download.rawPayload.length, body.byte_size);
    const pcm = readWav(download.rawPayload);
    assert.equal(pcm.sampleRate, 8000);
    assert.equal(pcm.samples.length, 12_000);
    const heard = analyseFrequency(pcm);
    assert.ok(Math.abs(heard.dominantHz - 700) <= 10, JSON.stringify(heard));
  });

  test('multipart, µ-law and A-law uploads replace it, each a new version, each audited without the audio', async () => {
    const admin = as(t, acme.tokens.admin);
    const form = multipart({}, { name: 'greeting.wav', content: wav({ law: 'mu', hz: 500 }) });
    let res = await admin({ method: 'PUT', url: `/v1/campaigns/${campaignId}/message`, ...form });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().file_name, 'greeting.wav');
    assert.equal(res.json().version, 2);
    res = await put(acme.tokens.supervisor, campaignId, wav({ law: 'a', hz: 600, rate: 16000 }));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().version, 3);
    const pcm = readWav(
      (await admin({ method: 'GET', url: `/v1/campaigns/${campaignId}/message` })).rawPayload,
    );
    assert.ok(Math.abs(analyseFrequency(pcm).dominantHz - 600) <= 10);

    const audit = (
      await admin({
        method: 'GET',
        url: `/v1/audit-log?entity_id=${campaignId}&action=campaign.message.replace`,
      })
    ).json();
    assert.equal(audit.data.length, 2);
    const [latest] = audit.data;
    assert.equal(latest.actor_id, 'super');
    assert.deepEqual(Object.keys(latest.after).sort(), ['byte_size', 'duration_ms', 'file_name', 'version']);
    assert.equal(latest.before.version, 2);
    assert.equal(latest.after.version, 3);
  });

  test('bad files answer 400 with the reason, and the stored message is unchanged', async () => {
    const cases: [string, Buffer, RegExp][] = [
      ['not a WAV', Buffer.from('RIFF....this is not audio at all'), /WAV/],
      ['stereo', wav({ channels: 2 }), /mono/],
      ['96 kHz', wav({ rate: 96000, ms: 500 }), /sample rate 96000 Hz/],
      ['6 kHz', wav({ rate: 6000 }), /sample rate 6000 Hz/],
      ['8-bit PCM', wav({ bits: '8' }), /16-bit PCM, µ-law or A-law/],
      ['float', wav({ bits: '32f' }), /16-bit PCM, µ-law or A-law/],
      ['too short', wav({ ms: 100 }), /at least 200 ms/],
      ['too long', wav({ ms: 121_000 }), /at most 120000 ms/],
    ];
    for (const [name, body, reason] of cases) {
      const res = await put(acme.tokens.admin, campaignId, body);
      assert.equal(res.statusCode, 400, `${name}: ${res.statusCode} ${res.body}`);
      assert.match(JSON.stringify(res.json().message), reason, name);
    }
    const form = multipart({}, { name: 'x.wav', content: 'not audio' });
    const res = await as(
      t,
      acme.tokens.admin,
    )({ method: 'PUT', url: `/v1/campaigns/${campaignId}/message`, ...form });
    assert.equal(res.statusCode, 400);
    const none = await as(
      t,
      acme.tokens.admin,
    )({ method: 'PUT', url: `/v1/campaigns/${campaignId}/message` });
    assert.equal(none.statusCode, 400, none.body);
    const text = await put(acme.tokens.admin, campaignId, Buffer.from('x'), 'text/plain');
    assert.equal(text.statusCode, 400, text.body);
    assert.match(text.json().message[0], /audio\/wav/);
    const stored = await as(
      t,
      acme.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/${campaignId}/message` });
    assert.equal(stored.headers['x-message-version'], '3');
  });

  test('a file over 16 MB answers 413, as a body or in a form', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 1);
    const res = await put(acme.tokens.admin, campaignId, big);
    assert.equal(res.statusCode, 413, res.body);
    const form = multipart({}, { name: 'big.wav', content: big });
    const inForm = await as(
      t,
      acme.tokens.admin,
    )({ method: 'PUT', url: `/v1/campaigns/${campaignId}/message`, ...form });
    assert.equal(inForm.statusCode, 413, inForm.body);
  });

  test("another center's campaign is not found; an agent may listen but not change it", async () => {
    const theirs = await put(globex.tokens.admin, campaignId, wav({}));
    assert.equal(theirs.statusCode, 404);
    const read = await as(
      t,
      globex.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/${campaignId}/message` });
    assert.equal(read.statusCode, 404);
    const remove = await as(
      t,
      globex.tokens.admin,
    )({ method: 'DELETE', url: `/v1/campaigns/${campaignId}/message` });
    assert.equal(remove.statusCode, 404);
    const agent = await put(acme.tokens.agent, campaignId, wav({}));
    assert.equal(agent.statusCode, 403);
    const stored = await as(
      t,
      acme.tokens.admin,
    )({ method: 'GET', url: `/v1/campaigns/${campaignId}/message` });
    assert.equal(stored.headers['x-message-version'], '3');
  });

  test('deleted: 404 on download, audited; a new upload starts again at version 1', async () => {
    const admin = as(t, acme.tokens.admin);
    assert.equal(
      (await admin({ method: 'DELETE', url: `/v1/campaigns/${campaignId}/message` })).statusCode,
      204,
    );
    assert.equal(
      (await admin({ method: 'GET', url: `/v1/campaigns/${campaignId}/message` })).statusCode,
      404,
    );
    assert.equal(
      (await admin({ method: 'DELETE', url: `/v1/campaigns/${campaignId}/message` })).statusCode,
      404,
    );
    const audit = (
      await admin({
        method: 'GET',
        url: `/v1/audit-log?entity_id=${campaignId}&action=campaign.message.delete`,
      })
    ).json();
    assert.equal(audit.data.length, 1);
    assert.equal(audit.data[0].after, null);
    const again = await put(acme.tokens.admin, campaignId, wav({}));
    assert.equal(again.json().version, 1);
  });

  test('machine detection settings are campaign settings: defaults on and hang_up; validated', async () => {
    const admin = as(t, acme.tokens.admin);
    const campaign = (await admin({ method: 'GET', url: `/v1/campaigns/${campaignId}` })).json();
    assert.equal(campaign.machine_detection, true);
    assert.equal(campaign.machine_action, 'hang_up');
    const changed = await admin({
      method: 'PATCH',
      url: `/v1/campaigns/${campaignId}`,
      payload: { machine_detection: false, machine_action: 'play_message' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().machine_detection, false);
    assert.equal(changed.json().machine_action, 'play_message');
    const bad = await admin({
      method: 'PATCH',
      url: `/v1/campaigns/${campaignId}`,
      payload: { machine_action: 'voicemail' },
    });
    assert.equal(bad.statusCode, 400);
  });
});

describe('with the SIP carrier, an agentless campaign needs its message to dial', () => {
  let t: TestApp;
  let acme: SeededCenter;
  before(async () => {
    t = await startTestApp({
      OUTDIAL_CARRIER: 'sip',
      SIP_TRUNK_DOMAIN: 'trunk.example.com',
      OUTDIAL_ENGINE: 'off',
    });
    acme = await seedCenter(t, 'acme');
  });
  after(() => t.close());

  test('start, create-active and a switch to agentless are refused (409) until a message is uploaded; a running one keeps it', async () => {
    const admin = as(t, acme.tokens.admin);
    const created = await admin({
      method: 'POST',
      url: '/v1/campaigns',
      payload: { name: 'Active at once', dialing_mode: 'agentless', status: 'active' },
    });
    assert.equal(created.statusCode, 409, created.body);
    assert.match(created.json().message, /recorded message/);

    const campaign = (
      await admin({
        method: 'POST',
        url: '/v1/campaigns',
        payload: { name: 'Reminder', dialing_mode: 'agentless' },
      })
    ).json();
    const start = await admin({ method: 'POST', url: `/v1/campaigns/${campaign.id}/start`, payload: {} });
    assert.equal(start.statusCode, 409, start.body);
    assert.equal(
      (await admin({ method: 'GET', url: `/v1/campaigns/${campaign.id}` })).json().status,
      'draft',
    );

    const progressive = (
      await admin({ method: 'POST', url: '/v1/campaigns', payload: { name: 'Sales', status: 'active' } })
    ).json();
    const toAgentless = await admin({
      method: 'PATCH',
      url: `/v1/campaigns/${progressive.id}`,
      payload: { dialing_mode: 'agentless' },
    });
    assert.equal(toAgentless.statusCode, 409, toAgentless.body);

    const upload = await admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/message`,
      payload: wav({}),
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(upload.statusCode, 200, upload.body);
    const started = await admin({ method: 'POST', url: `/v1/campaigns/${campaign.id}/start`, payload: {} });
    assert.equal(started.statusCode, 200, started.body);
    const remove = await admin({ method: 'DELETE', url: `/v1/campaigns/${campaign.id}/message` });
    assert.equal(remove.statusCode, 409, remove.body);
    await admin({ method: 'POST', url: `/v1/campaigns/${campaign.id}/stop`, payload: {} });
    const stoppedUpload = await admin({
      method: 'PUT',
      url: `/v1/campaigns/${campaign.id}/message`,
      payload: wav({}),
      headers: { 'content-type': 'audio/wav' },
    });
    assert.equal(stoppedUpload.statusCode, 409, 'a stopped campaign keeps what it ran with');
    assert.equal(
      (await admin({ method: 'DELETE', url: `/v1/campaigns/${campaign.id}/message` })).statusCode,
      204,
    );
  });
});
