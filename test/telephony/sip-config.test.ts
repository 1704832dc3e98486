import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: '/tmp' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
}

describe('OUTDIAL_CARRIER=sip settings', () => {
  test('the simulated carrier stays the default and needs no SIP setting', () => {
    assert.equal(loadConfig(base).carrier, 'simulated');
  });

  test('a complete SIP configuration loads', () => {
    const config = loadConfig({
      ...base,
      OUTDIAL_CARRIER: 'sip',
      SIP_BIND_ADDRESS: '10.0.0.21',
      SIP_TRUNK_DOMAIN: 'sip.provider.example',
      SIP_OUTBOUND_PROXY: 'sip:10.0.0.5:5060',
      SIP_TRUNK_USER: 'outdial',
      SIP_TRUNK_PASSWORD: 's3cret',
      SIP_AGENT_DOMAIN: 'agents.example.com',
      SIP_DEFAULT_CALLER_ID: '+14155550000',
    });
    assert.equal(config.carrier, 'sip');
    assert.equal(config.sipPort, 5080);
    assert.equal(config.sipTrunkTransport, 'udp');
    assert.equal(config.sipMediaJoin, 'relay', 'customers are joined to agents inside Outdial by default');
  });

  test('SIP_MEDIA_JOIN is relay or reinvite', () => {
    const sip = { OUTDIAL_CARRIER: 'sip', SIP_TRUNK_DOMAIN: 'trunk.example' };
    assert.equal(loadConfig({ ...base, ...sip, SIP_MEDIA_JOIN: 'reinvite' }).sipMediaJoin, 'reinvite');
    const found = problems({ ...sip, SIP_MEDIA_JOIN: 'bridge' });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^SIP_MEDIA_JOIN: .*\(got "bridge"\)$/);
  });

  test('RTPENGINE_CONTROL is rtpengine ng address, udp:<host>:<port>; unset by default', () => {
    const sip = { OUTDIAL_CARRIER: 'sip', SIP_TRUNK_DOMAIN: 'trunk.example' };
    assert.equal(loadConfig({ ...base, ...sip }).rtpengineControl, undefined, 'no anchor unless asked');
    assert.equal(
      loadConfig({ ...base, ...sip, RTPENGINE_CONTROL: 'udp:10.0.0.7:2223' }).rtpengineControl,
      'udp:10.0.0.7:2223',
    );
    for (const bad of ['10.0.0.7:2223', 'tcp:10.0.0.7:2223', 'udp:10.0.0.7', 'udp:10.0.0.7:70000']) {
      assert.deepEqual(problems({ ...sip, RTPENGINE_CONTROL: bad }), [
        `RTPENGINE_CONTROL must be udp:<host>:<port> (rtpengine's --listen-ng address, e.g. udp:127.0.0.1:2223), got "${bad}"`,
      ]);
    }
  });

  test('SIP_AGENT_KEEPALIVE_SECONDS: 15 by default, 0 turns it off, never negative or over an hour', () => {
    const sip = { OUTDIAL_CARRIER: 'sip', SIP_TRUNK_DOMAIN: 'trunk.example' };
    assert.equal(loadConfig({ ...base, ...sip }).sipAgentKeepaliveSeconds, 15);
    assert.equal(
      loadConfig({ ...base, ...sip, SIP_AGENT_KEEPALIVE_SECONDS: '0' }).sipAgentKeepaliveSeconds,
      0,
    );
    for (const bad of ['-1', '3601', 'often']) {
      const found = problems({ ...sip, SIP_AGENT_KEEPALIVE_SECONDS: bad });
      assert.equal(found.length, 1, bad);
      assert.match(found[0]!, /^SIP_AGENT_KEEPALIVE_SECONDS[: ]/);
    }
  });

  test('the trunk is required', () => {
    assert.deepEqual(problems({ OUTDIAL_CARRIER: 'sip' }), [
      'SIP_TRUNK_DOMAIN is required with OUTDIAL_CARRIER=sip (the host numbers are dialled at)',
    ]);
  });

  test('credentials go together', () => {
    assert.deepEqual(
      problems({ OUTDIAL_CARRIER: 'sip', SIP_TRUNK_DOMAIN: 'trunk.example', SIP_TRUNK_USER: 'x' }),
      ['SIP_TRUNK_USER and SIP_TRUNK_PASSWORD go together: set both or neither'],
    );
  });

  test('the first hop must not be our own address', () => {
    const found = problems({
      OUTDIAL_CARRIER: 'sip',
      SIP_TRUNK_DOMAIN: 'trunk.example',
      SIP_OUTBOUND_PROXY: 'sip:127.0.0.1:5060',
    });
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^SIP_BIND_ADDRESS \(127\.0\.0\.1\) must differ/);
  });

  test('TCP toward the trunk loads; a proxy URI saying another transport is refused', () => {
    const tcp = { OUTDIAL_CARRIER: 'sip', SIP_TRUNK_DOMAIN: 'trunk.example', SIP_TRUNK_TRANSPORT: 'tcp' };
    assert.equal(loadConfig({ ...base, ...tcp }).sipTrunkTransport, 'tcp');
    assert.deepEqual(problems({ ...tcp, SIP_OUTBOUND_PROXY: 'sip:10.0.0.5:5060;transport=udp' }), [
      'SIP_OUTBOUND_PROXY says transport=udp but SIP_TRUNK_TRANSPORT is tcp: set the transport in SIP_TRUNK_TRANSPORT only',
    ]);
    assert.deepEqual(problems({ ...tcp, SIP_OUTBOUND_PROXY: 'sip:10.0.0.5:5060;transport=tcp' }), []);
  });

  test('bad values are named: address, transport, proxy, caller id', () => {
    const found = problems({
      OUTDIAL_CARRIER: 'sip',
      SIP_TRUNK_DOMAIN: 'trunk.example',
      SIP_BIND_ADDRESS: '300.1.1.1',
      SIP_TRUNK_TRANSPORT: 'tls',
      SIP_OUTBOUND_PROXY: 'http://proxy',
      SIP_DEFAULT_CALLER_ID: 'bob',
    });
    for (const name of [
      'SIP_BIND_ADDRESS',
      'SIP_TRUNK_TRANSPORT',
      'SIP_OUTBOUND_PROXY',
      'SIP_DEFAULT_CALLER_ID',
    ]) {
      assert.ok(
        found.some((p) => p.startsWith(name)),
        `${name} in ${found.join('; ')}`,
      );
    }
  });

  test('the browser phone: address and secret together, a SIP agent domain, a wss/ws address, a bounded lifetime', () => {
    const phone = {
      SIP_AGENT_DOMAIN: 'agents.example.com',
      WEBRTC_WS_URL: 'wss://sip.example.com:8443',
      WEBRTC_AUTH_SECRET: 'a-secret-of-32-characters-or-so!',
    };
    const config = loadConfig({ ...base, ...phone });
    assert.equal(config.webrtcWsUrl, 'wss://sip.example.com:8443');
    assert.equal(config.webrtcCredentialTtlSeconds, 3600);
    assert.deepEqual(problems({ WEBRTC_WS_URL: phone.WEBRTC_WS_URL, SIP_AGENT_DOMAIN: 'a.example' }), [
      'WEBRTC_WS_URL and WEBRTC_AUTH_SECRET go together: set both or neither',
    ]);
    assert.deepEqual(
      problems({ WEBRTC_WS_URL: phone.WEBRTC_WS_URL, WEBRTC_AUTH_SECRET: phone.WEBRTC_AUTH_SECRET }),
      ['WEBRTC_WS_URL needs SIP_AGENT_DOMAIN (the domain browser phones register in)'],
    );
    const found = problems({
      ...phone,
      WEBRTC_WS_URL: 'https://sip.example.com',
      WEBRTC_AUTH_SECRET: 'short',
      WEBRTC_CREDENTIAL_TTL_SECONDS: '10',
    });
    for (const name of ['WEBRTC_WS_URL', 'WEBRTC_AUTH_SECRET', 'WEBRTC_CREDENTIAL_TTL_SECONDS']) {
      assert.ok(
        found.some((p) => p.startsWith(name)),
        `${name} in ${found.join('; ')}`,
      );
    }
  });
});
