import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AgentDeviceEvent, CallEvent } from '../../src/engine/carrier.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { SipCarrier } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import {
  AGENT_TONE_HZ,
  allocateAddress,
  analyseFrequency,
  CUSTOMER_TONE_HZ,
  FAR_END_NUMBERS,
  freeUdpPort,
  PeerProcess,
  requireBinary,
  scratchDir,
  startKamailio,
  startSippFarEnd,
  toneWav,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// An agent's standing leg to a real baresip phone registered to Kamailio, a customer (the SIPp far
// end, playing a 1000 Hz tone) joined to it by re-INVITEs, and the phone hanging up mid-shift.
// The baresip start here is the least this test needs until the shared harness has agent phones.

async function startAgentPhone(
  kamailio: Kamailio,
  extension: string,
): Promise<{ dir: string; stop(): Promise<void> }> {
  requireBinary('baresip');
  const address = await allocateAddress([5062, 5063]);
  const dir = scratchDir('agent-phone');
  toneWav(path.join(dir, 'tone.wav'), AGENT_TONE_HZ, 30);
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen ${address}:5062`,
      `net_interface ${address}`,
      `audio_source aufile,${path.join(dir, 'tone.wav')}`,
      'audio_player aufile,/dev/null',
      'audio_alert aufile,/dev/null',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module sndfile.so',
      'module_app account.so',
      'answermode auto',
      'rtp_ports 30000-39999',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'accounts'),
    `<sip:${extension}@${kamailio.domain}>;auth_pass=none;outbound="sip:${kamailio.address}:${kamailio.port}";regint=600;answermode=auto;audio_codecs=PCMU,PCMA\n`,
  );
  fs.writeFileSync(path.join(dir, 'contacts'), '');
  const phone = PeerProcess.start('baresip', ['-f', dir], { cwd: dir, name: `baresip-${extension}` });
  const deadline = Date.now() + 10_000;
  while (!/200 OK/.test(phone.log())) {
    if (Date.now() > deadline || !phone.alive) throw new Error(`baresip did not register:\n${phone.tail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { dir, stop: () => phone.stop() };
}

async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("SIP carrier: an agent's standing leg to a real phone", () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let ua: SipUserAgent;
  let carrier: SipCarrier;
  const events: CallEvent[] = [];
  const devices: AgentDeviceEvent[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50 });
    kamailio = await startKamailio({ trunk: farEnd });
    const address = await allocateAddress([]);
    ua = await SipUserAgent.start({ address, port: await freeUdpPort(address) });
    carrier = new SipCarrier({
      ua,
      scheduler: new RealTimeScheduler(),
      media: new UdpMediaParking(address),
      agentDomain: kamailio.domain,
      trunk: {
        domain: `${kamailio.address}:${kamailio.port}`,
        outboundProxy: kamailio.proxyUri,
        credentials: null,
        fromDomain: 'outdial.test',
        defaultCallerId: '+14155550001',
      },
    });
    carrier.onEvent((e) => events.push(e));
    carrier.onAgentDevice((e) => devices.push(e));
  });
  after(async () => {
    await ua?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('login calls the phone once; a customer is joined with audio both ways; the phone hanging up is reported', async () => {
    const phone = await startAgentPhone(kamailio, '1001');
    try {
      carrier.agentReady('1001');
      await eventually(() => carrier.agentLegState('1001') === 'up', "the agent's phone answered");
      carrier.agentReady('1001');
      assert.equal(carrier.agentLegsUp, 1, 'one standing leg, however often the agent is made ready');

      carrier.placeCall({
        callId: 'customer-1',
        to: FAR_END_NUMBERS.answered,
        callerId: null,
        ringTimeoutMs: 5000,
        detectMachine: false,
      });
      await eventually(() => events.some((e) => e.type === 'answered'), 'the customer answered');
      carrier.bridge('customer-1', '1001');
      await new Promise((r) => setTimeout(r, 3000));

      carrier.hangup('customer-1');
      await eventually(() => carrier.liveCalls === 0, 'the customer is hung up');
      assert.equal(carrier.agentLegState('1001'), 'up', 'the agent stays connected for the next call');

      await phone.stop();
      await eventually(() => devices.length > 0, 'the dropped phone is reported');
      assert.deepEqual(devices, [{ type: 'device_lost', extension: '1001', reason: 'phone_hung_up' }]);
      assert.equal(carrier.agentLegState('1001'), null);

      // baresip writes what it heard (sndfile) when the call ends.
      const heard = fs
        .readdirSync(phone.dir)
        .filter((f) => f.endsWith('.wav') && f !== 'tone.wav')
        .map((f) => analyseFrequency(path.join(phone.dir, f)));
      assert.ok(
        heard.some((r) => Math.abs(r.dominantHz - CUSTOMER_TONE_HZ) <= 20 && r.rms > 100),
        `the agent heard the customer's tone: ${JSON.stringify(heard)}`,
      );
    } finally {
      await phone.stop();
    }
  });

  test('a phone that is not registered: unreachable, reported at once', async () => {
    devices.length = 0;
    carrier.agentReady('1999');
    await eventually(() => devices.length > 0, 'the unreachable phone is reported');
    assert.deepEqual(devices, [{ type: 'device_lost', extension: '1999', reason: 'phone_unreachable' }]);
  });
});
