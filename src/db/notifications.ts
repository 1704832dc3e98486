import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Subscribes to a PostgreSQL notification channel (`NOTIFY`, `pg_notify`): `onPayload` hears every
 * notification sent on it, by any process sharing the database, once the sender's transaction
 * commits. Resolves once listening; the function it resolves to stops. Delivery is best effort (a
 * connection lost and made again misses what was sent meanwhile), so a listener keeps a fallback.
 */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

/** How long a listening connection that dropped waits before it connects again. */
const RECONNECT_MS = 1000;

/**
 * PostgreSQL: one connection of its own per subscription, outside the pool (a pooled connection
 * would be held for ever and, returned, would take its LISTEN to whoever borrows it next).
 */
export function postgresListen(config: pg.ClientConfig): Listen {
  return async (channel, onPayload) => {
    let stopped = false;
    let client: pg.Client | null = null;
    let retry: NodeJS.Timeout | null = null;
    const connect = async (): Promise<void> => {
      const c = new pg.Client(config);
      c.on('notification', (message) => {
        if (message.channel === channel) onPayload(message.payload ?? '');
      });
      // A dropped connection (server restart, network) listens again after a pause; until then the
      // listener's fallback covers what it misses.
      const reconnect = () => {
        if (stopped || client !== c) return;
        client = null;
        c.removeAllListeners('end');
        retry = setTimeout(() => {
          retry = null;
          if (!stopped) connect().catch(reconnect);
        }, RECONNECT_MS);
        retry.unref();
      };
      c.on('error', reconnect);
      c.on('end', reconnect);
      client = c;
      await c.connect();
      await c.query(`listen ${c.escapeIdentifier(channel)}`);
    };
    await connect();
    return async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    };
  };
}

/** PGlite: its own notifications, in this process (PGlite has no other). */
export function pgliteListen(pglite: PGlite): Listen {
  return async (channel, onPayload) => {
    const stop = await pglite.listen(channel, onPayload);
    return async () => {
      if (!pglite.closed) await stop();
    };
  };
}
