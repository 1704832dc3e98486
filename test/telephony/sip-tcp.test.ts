import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import type { CallEvent } from '../../src/engine/carrier.js';
import { RealTimeScheduler } from '../../src/engine/scheduler.js';
import { startSipCarrier, type RunningSipCarrier } from '../../src/telephony/sip/start-sip-carrier.js';
import {
  allocateAddress,
  CUSTOMER_TONE_HZ,
  eventually,
  FAR_END_NUMBERS,
  freeUdpPort,
  portsFree,
  startBaresip,
  startKamailio,
  startSippFarEnd,
  type BaresipPhone,
  type Kamailio,
  type LogLine,
  type SippFarEnd,
} from './support/index.js';

// SIP_TRUNK_TRANSPORT=tcp: the carrier, started from its settings as the server starts it, sends
// every request to Kamailio over TCP (Kamailio listening on TCP and UDP, the SIPp far end and the
// agent's baresip phone on UDP behind it) and takes the far end's requests back over TCP.

interface TracedVia {
  protocol: string;
}
interface TracedMessage {
  method?: string;
  status?: number;
  headers: { via?: TracedVia[]; cseq?: { method: string } };
}

describe('the SIP carrier over TCP toward Kamailio', () => {
  let farEnd: SippFarEnd;
  let kamailio: Kamailio;
  let sip: RunningSipCarrier;
  let phone: BaresipPhone;
  const log: LogLine[] = [];
  const events: CallEvent[] = [];

  before(async () => {
    farEnd = await startSippFarEnd({ ringMs: 100 });
    kamailio = await startKamailio({ trunk: farEnd, tcp: true });
    phone = await startBaresip({ user: '2001', registrar: kamailio });
    await phone.registered();
    const address = await allocateAddress([]);
    let port = await freeUdpPort(address);
    while (!(await portsFree(address, [port]))) port = await freeUdpPort(address);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-sip-tcp-'));
    const config = loadConfig({
      PASSWORD_HASH_COST: '10',
      OUTDIAL_DATA_DIR: dataDir,
      OUTDIAL_CARRIER: 'sip',
      SIP_BIND_ADDRESS: address,
      SIP_PORT: String(port),
      SIP_TRUNK_TRANSPORT: 'tcp',
      SIP_TRUNK_DOMAIN: `${kamailio.address}:${kamailio.port}`,
      SIP_OUTBOUND_PROXY: `sip:${kamailio.address}:${kamailio.port}`,
      SIP_AGENT_DOMAIN: kamailio.domain,
      // The join by re-INVITEs, so that they too are seen going over TCP (relay mode sends none).
      SIP_MEDIA_JOIN: 'reinvite',
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    const logger = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n')) if (line) log.push(JSON.parse(line) as LogLine);
          done();
        },
      }),
    );
    sip = await startSipCarrier(config, new RealTimeScheduler(), logger);
    sip.carrier.onEvent((e) => events.push(e));
  });
  after(async () => {
    await sip?.stop();
    await phone?.stop();
    await kamailio?.stop();
    await farEnd?.stop();
  });

  const traced = (direction: 'send' | 'recv') =>
    log
      .filter((l) => l.msg === 'SIP message' && l.direction === direction)
      .map((l) => l.sip as TracedMessage);

  test('calls are placed, answered, joined to an agent, hung up both ways, all signalling on TCP', async () => {
    const { carrier } = sip;
    const place = (callId: string, to: string) =>
      carrier.placeCall({ callId, to, callerId: null, ringTimeoutMs: 5000, detectMachine: false });
    const eventsOf = (callId: string) => events.filter((e) => e.callId === callId).map((e) => e.type);

    place('busy', FAR_END_NUMBERS.busy);
    await eventually(() => (eventsOf('busy').includes('busy') ? true : undefined), 'busy');

    // The far end hangs up: its BYE comes back to us through Kamailio, over TCP.
    place('hangs-up', FAR_END_NUMBERS.hangsUp);
    await eventually(
      () => (eventsOf('hangs-up').includes('ended') ? true : undefined),
      'the far end hangs up',
    );
    assert.deepEqual(eventsOf('hangs-up'), ['ringing', 'answered', 'ended']);

    // An agent's standing leg and a customer joined to it: INVITEs and re-INVITEs over TCP.
    carrier.agentReady('2001');
    await eventually(() => (carrier.agentLegState('2001') === 'up' ? true : undefined), 'the agent answers');
    place('customer', FAR_END_NUMBERS.answered);
    await eventually(() => (eventsOf('customer').includes('answered') ? true : undefined), 'answered');
    carrier.bridge('customer', '2001');
    await new Promise((r) => setTimeout(r, 2500));
    carrier.hangup('customer');
    await eventually(() => (carrier.liveCalls === 0 ? true : undefined), 'the customer is hung up');
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
    assert.ok(Math.abs(heard.dominantHz - CUSTOMER_TONE_HZ) <= 20, JSON.stringify(heard));

    const sent = traced('send');
    const requests = sent.filter((m) => m.method && m.method !== 'ACK');
    for (const method of ['INVITE', 'BYE', 'CANCEL'].filter((m) => requests.some((r) => r.method === m))) {
      assert.ok(
        requests.filter((r) => r.method === method).every((r) => r.headers.via?.[0]?.protocol === 'TCP'),
        `every ${method} we sent went over TCP`,
      );
    }
    const reinvites = requests.filter((r) => r.method === 'INVITE').length;
    assert.ok(reinvites >= 5, `INVITEs and re-INVITEs sent: ${reinvites}`);
    const farEndBye = traced('recv').find((m) => m.method === 'BYE');
    assert.equal(farEndBye?.headers.via?.[0]?.protocol, 'TCP', "the far end's BYE reached us over TCP");
    assert.deepEqual(
      log.filter((l) => l.level >= 50),
      [],
    );
  });
});
