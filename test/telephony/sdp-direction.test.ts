import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerDirection, audioOffer, directionOf } from '../../src/telephony/sip/sdp.js';

// Hold in relay mode (docs/telephony.md): the direction a leg's offer gives, and our answer's.

const media = { address: '192.0.2.10', port: 40000 };

describe('SDP direction (RFC 3264) for hold', () => {
  test('the media-level attribute wins over the session-level one; none is sendrecv', () => {
    assert.equal(directionOf(audioOffer(media, 1)), 'sendrecv');
    assert.equal(directionOf(audioOffer(media, 1, 2, 'sendonly')), 'sendonly');
    const sessionLevel = audioOffer(media, 1)
      .replace('a=sendrecv\r\n', '')
      .replace('t=0 0', 't=0 0\r\na=inactive');
    assert.equal(directionOf(sessionLevel), 'inactive');
    const both = audioOffer(media, 1, 2, 'recvonly').replace('t=0 0', 't=0 0\r\na=sendonly');
    assert.equal(directionOf(both), 'recvonly');
    assert.equal(directionOf(audioOffer(media, 1).replace('a=sendrecv\r\n', '')), 'sendrecv');
  });

  test('a connection address of 0.0.0.0 (RFC 2543 hold) receives nothing', () => {
    const zero = { address: '0.0.0.0', port: 40000 };
    assert.equal(directionOf(audioOffer(zero, 1)), 'sendonly');
    assert.equal(directionOf(audioOffer(zero, 1, 2, 'recvonly')), 'inactive');
    assert.equal(directionOf(audioOffer(zero, 1, 2, 'inactive')), 'inactive');
  });

  test('the answer mirrors the offer: sendonly → recvonly, inactive → inactive', () => {
    assert.equal(answerDirection('sendonly'), 'recvonly');
    assert.equal(answerDirection('recvonly'), 'sendonly');
    assert.equal(answerDirection('inactive'), 'inactive');
    assert.equal(answerDirection('sendrecv'), 'sendrecv');
  });
});
