import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallEvent } from '../../src/engine/carrier.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { UdpMediaParking } from '../../src/telephony/sip/media-park.js';
import { SipCarrier } from '../../src/telephony/sip/sip-carrier.js';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import {
  allocateAddress,
  CUSTOMER_TONE_HZ,
  eventually,
  FAR_END_NUMBERS,
  freeUdpPort,
  startBaresip,
  startKamailio,
  startSippFarEnd,
  type BaresipPhone,
  type Kamailio,
  type SippFarEnd,
} from './support/index.js';

// An agent made ready (desk login, or resuming after their phone dropped) is available to the
// engine at once, while their phone is still being called. A customer routed to them in that
// moment waits on parked media and is joined when the phone answers, rather than being hung up.
// The phone here (baresip, not auto-answering) answers when the test says.

describe('a customer routed to an agent whose phone is still being called', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let phone: BaresipPhone;
  let ua: SipUserAgent;
  let carrier: SipCarrier;
  const events: CallEvent[] = [];
  const errors: string[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 50 });
    kamailio = await startKamailio({ trunk: farEnd });
    phone = await startBaresip({ user: '2001', registrar: kamailio, autoAnswer: false });
    await phone.registered();
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
      onError: (error, where) => errors.push(`${where}: ${(error as Error).message}`),
    });
    carrier.onEvent((e) => events.push(e));
  });
  after(async () => {
    // A leg still ringing holds a media port open, which would keep a failed run from exiting.
    carrier?.agentGone('2001');
    await ua?.stop();
    await phone?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  test('is joined once the phone answers, and hears nothing of a hang-up', async () => {
    carrier.agentReady('2001');
    await phone.waitForEvent('CALL_INCOMING');
    carrier.placeCall({
      callId: 'customer',
      to: FAR_END_NUMBERS.answered,
      callerId: null,
      ringTimeoutMs: 5000,
      detectMachine: false,
    });
    await eventually(
      () => (events.some((e) => e.type === 'answered') ? true : undefined),
      'the customer answers',
    );
    assert.equal(carrier.agentLegState('2001'), 'connecting');
    carrier.bridge('customer', '2001');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(carrier.liveCalls, 1, 'the customer is kept while the phone rings');

    await phone.command('accept');
    await eventually(() => (carrier.agentLegState('2001') === 'up' ? true : undefined), 'the phone answers');
    await new Promise((r) => setTimeout(r, 2500));
    carrier.hangup('customer');
    await eventually(() => (carrier.liveCalls === 0 ? true : undefined), 'the customer is hung up');
    assert.deepEqual(
      events.map((e) => e.type),
      ['ringing', 'answered'],
      'no end reported by the carrier: the conversation was held',
    );
    carrier.agentGone('2001');
    await phone.waitForEvent('CALL_CLOSED');
    const heard = await eventually(() => {
      try {
        const report = phone.heard();
        return report.rms > 100 ? report : undefined;
      } catch {
        return undefined;
      }
    }, "the agent's recording is written");
    assert.ok(
      Math.abs(heard.dominantHz - CUSTOMER_TONE_HZ) <= 20,
      `the agent heard the customer: ${JSON.stringify(heard)}`,
    );
    assert.deepEqual(errors, []);
  });
});
