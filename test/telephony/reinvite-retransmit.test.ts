import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SipUserAgent } from '../../src/telephony/sip/user-agent.js';
import { allocateAddress, freeUdpPort, startSippFarEnd, type SippFarEnd } from './support/index.js';

// Our re-INVITEs (third-party call control joins and parks agents with them) against a SIPp far end
// that sends its 200 OK twice, as a far end does when our ACK is lost: the second 200 must be ACKed
// again (RFC 3261 13.2.2.4), else the far end retransmits until its timer ends and may drop the call.

function offer(address: string, version: number): string {
  return [
    'v=0',
    `o=outdial 1 ${version} IN IP4 ${address}`,
    's=-',
    `c=IN IP4 ${address}`,
    't=0 0',
    'm=audio 40000 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}

describe('the SIP user agent re-ACKs a retransmitted 2xx to its re-INVITE', () => {
  let farEnd: SippFarEnd;
  let ua: SipUserAgent;

  before(async () => {
    farEnd = await startSippFarEnd({ scenario: 'retransmit-2xx', ringMs: 100 });
    const address = await allocateAddress([]);
    ua = await SipUserAgent.start({ address, port: await freeUdpPort(address) });
  });
  after(async () => {
    await ua?.stop();
    await farEnd?.stop();
  });

  test('the far end gets an ACK for each 200 OK, and ends the call normally', async () => {
    const address = ua.contactUri.split('@')[1]!.split(':')[0]!;
    const invite = ua.invite({
      to: farEnd.uri('+14155550100'),
      from: { uri: 'sip:+14155550001@outdial.test' },
      offer: offer(address, 1),
    });
    const result = await invite.result;
    assert.equal(result.kind, 'answered');
    if (result.kind !== 'answered') return;
    const dialog = result.dialog;
    const bye = new Promise<void>((resolve) => (dialog.onBye = resolve));

    const reinvite = await dialog.reinvite(offer(address, 2));
    assert.equal(reinvite.response.status, 200);
    reinvite.ack(null);

    // With the second ACK the far end goes on to hang up; without it, it waits 3 s and fails the call.
    const outcome = await Promise.race([
      bye.then(() => 'bye' as const),
      new Promise<'no bye'>((r) => setTimeout(() => r('no bye'), 8000)),
    ]);
    assert.equal(outcome, 'bye', 'the far end got its second ACK and hung up');
    const stats = await (async () => {
      for (let i = 0; i < 40; i++) {
        const s = farEnd.stats();
        if (s && s.successfulCalls + s.failedCalls >= 1) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      return farEnd.stats();
    })();
    assert.equal(stats?.successfulCalls, 1, JSON.stringify(stats?.raw));
    assert.equal(stats?.failedCalls, 0, JSON.stringify(stats?.raw));
  });
});
