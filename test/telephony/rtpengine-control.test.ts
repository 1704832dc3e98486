import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { RtpEndpoint, tone } from '../../src/telephony/media/index.js';
import {
  parseRtpengineTarget,
  RtpengineControl,
  RtpengineError,
  RtpengineUnreachable,
} from '../../src/telephony/media/rtpengine-control.js';
import { audioOf } from '../../src/telephony/sip/sdp.js';
import {
  AGENT_TONE_HZ,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  freeUdpPort,
  startRtpengine,
  type Rtpengine,
} from './support/index.js';

describe("rtpengine's control protocol (ng) against a real rtpengine", () => {
  let rtpengine: Rtpengine;
  let control: RtpengineControl;
  before(async () => {
    rtpengine = await startRtpengine();
    control = await RtpengineControl.connect({ host: rtpengine.address, port: rtpengine.ngPort });
  });
  after(async () => {
    await control?.close();
    await rtpengine?.stop();
  });

  test('offer and answer put rtpengine between two endpoints; audio crosses it both ways; delete ends it', async () => {
    const customer = await RtpEndpoint.open({ address: '127.0.0.1' });
    const agent = await RtpEndpoint.open({ address: '127.0.0.1' });
    const callId = `ng-test-${Date.now()}`;
    try {
      const offered = await control.offer({
        callId,
        fromTag: 'customer-side',
        sdp: customer.sdp(),
        replace: ['origin', 'session-connection'],
      });
      const toAgent = audioOf(offered);
      assert.ok(toAgent, offered);
      assert.equal(toAgent.address, rtpengine.address, 'the agent is told to send to rtpengine');
      assert.ok(toAgent.port >= rtpengine.portMin && toAgent.port <= rtpengine.portMax, offered);
      const answered = await control.answer({
        callId,
        fromTag: 'customer-side',
        toTag: 'agent-side',
        sdp: agent.sdp(),
        replace: ['origin', 'session-connection'],
      });
      const toCustomer = audioOf(answered);
      assert.ok(toCustomer, answered);
      assert.equal(toCustomer.address, rtpengine.address);
      assert.notEqual(toCustomer.port, toAgent.port, 'each side has its own port on rtpengine');

      agent.setRemote(toAgent.address, toAgent.port);
      customer.setRemote(toCustomer.address, toCustomer.port);
      const heardByAgent: Int16Array[] = [];
      const heardByCustomer: Int16Array[] = [];
      agent.onAudio((f) => heardByAgent.push(f.samples));
      customer.onAudio((f) => heardByCustomer.push(f.samples));
      // rtpengine learns each side's address from its first packet; both play at once.
      await Promise.all([customer.play(tone(CUSTOMER_TONE_HZ, 800)), agent.play(tone(AGENT_TONE_HZ, 800))]);
      await new Promise((r) => setTimeout(r, 150));
      const samples = (frames: Int16Array[]) => Int16Array.from(frames.flatMap((f) => [...f]));
      const atAgent = samples(heardByAgent);
      const atCustomer = samples(heardByCustomer);
      assert.ok(atAgent.length >= 3200, `the agent heard ${atAgent.length} samples`);
      assert.ok(atCustomer.length >= 3200, `the customer heard ${atCustomer.length} samples`);
      assert.equal(analyseFrequency({ sampleRate: 8000, samples: atAgent }).dominantHz, CUSTOMER_TONE_HZ);
      assert.equal(analyseFrequency({ sampleRate: 8000, samples: atCustomer }).dominantHz, AGENT_TONE_HZ);
      assert.deepEqual(agent.remoteAddress?.address, rtpengine.address, 'media came through rtpengine');

      const stats = await control.query(callId);
      assert.ok(stats.packets >= 60, `rtpengine counted ${stats.packets} packets`);

      await control.delete({ callId });
      await assert.rejects(control.query(callId), (error: unknown) => {
        assert.ok(error instanceof RtpengineError, String(error));
        assert.match(error.reason, /unknown call/i);
        return true;
      });
    } finally {
      await customer.close();
      await agent.close();
    }
  });

  test("rtpengine's refusals come back as errors with its reason", async () => {
    await assert.rejects(
      control.answer({ callId: 'never-offered', fromTag: 'a', toTag: 'b', sdp: 'v=0\r\n' }),
      (error: unknown) => error instanceof RtpengineError && error.command === 'answer',
    );
  });

  test('an answer lost on the way is asked for again under the same cookie, and acted on once', async () => {
    // A relay that drops the first answer it carries back: the client must retransmit, rtpengine
    // answers the same cookie from its cache.
    const relay = dgram.createSocket('udp4');
    await new Promise<void>((r) => relay.bind(0, '127.0.0.1', () => r()));
    let client: dgram.RemoteInfo | undefined;
    let requests = 0;
    let dropped = 0;
    relay.on('message', (datagram, from) => {
      if (from.port === rtpengine.ngPort && from.address === rtpengine.address) {
        if (dropped++ === 0) return;
        relay.send(datagram, client!.port, client!.address);
      } else {
        client = from;
        requests++;
        relay.send(datagram, rtpengine.ngPort, rtpengine.address);
      }
    });
    const viaRelay = await RtpengineControl.connect(
      { host: '127.0.0.1', port: relay.address().port },
      { retransmitMs: 200 },
    );
    try {
      assert.equal(requests, 2, 'the ping was sent twice: its first answer was lost');
      const endpoint = await RtpEndpoint.open({ address: '127.0.0.1' });
      try {
        const callId = `ng-retransmit-${Date.now()}`;
        const sdp = await viaRelay.offer({ callId, fromTag: 'x', sdp: endpoint.sdp() });
        assert.ok(audioOf(sdp));
        await viaRelay.delete({ callId });
      } finally {
        await endpoint.close();
      }
    } finally {
      await viaRelay.close();
      relay.close();
    }
  });

  test('an address where no rtpengine answers fails to connect with a clear error', async () => {
    const port = await freeUdpPort('127.0.0.1');
    await assert.rejects(
      RtpengineControl.connect({ host: '127.0.0.1', port }, { retransmitMs: 100, attempts: 3 }),
      (error: unknown) =>
        error instanceof RtpengineUnreachable &&
        /rtpengine at udp:127\.0\.0\.1:\d+ did not answer ping within 300 ms/.test(error.message),
    );
  });

  test('the control address is written udp:host:port', () => {
    assert.deepEqual(parseRtpengineTarget('udp:127.0.0.1:2223'), { host: '127.0.0.1', port: 2223 });
    assert.throws(() => parseRtpengineTarget('127.0.0.1:2223'), /not udp:<host>:<port>/);
    assert.throws(() => parseRtpengineTarget('udp:rtp.example:70000'), /not udp:<host>:<port>/);
  });
});
