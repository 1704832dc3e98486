import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a delivery carries (docs/webhooks.md, Verifying). */
export const SIGNATURE_HEADER = 'outdial-signature';
export const TIMESTAMP_HEADER = 'outdial-timestamp';
export const EVENT_ID_HEADER = 'outdial-event-id';
export const EVENT_TYPE_HEADER = 'outdial-event-type';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * `v1=` and the hex HMAC-SHA256, keyed by the subscription's secret, of the timestamp (Unix
 * seconds), a dot and the exact body: a receiver that refuses old timestamps refuses replays.
 */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (tests and docs use it): true when the signature is the body's. */
export function verifyDelivery(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
