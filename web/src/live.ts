import { useEffect, useState } from 'react';
import { streamTicket } from './api';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** The latest value of one event of a Server-Sent Events stream of the API (see useEventStreams). */
export function useEventStream<T>(
  path: string | null,
  event: string,
): { data: T | undefined; state: StreamState; receivedAt: number } {
  const stream = useEventStreams<Record<string, T>>(path, [event]);
  return { data: stream.latest[event], state: stream.state, receivedAt: stream.receivedAt };
}

/**
 * The latest value of each named event of one Server-Sent Events stream of the API, over one
 * connection. The browser's EventSource cannot send headers, so the address carries a single-use
 * stream ticket (never the token); each opening, and each reopening after the server closed or
 * refused the stream, takes a new one. Network drops are retried by the browser itself, which
 * reuses the address: the spent ticket is refused, and the stream is reopened with a new one. `receivedAt` is when the first named event last came.
 */
export function useEventStreams<M extends Record<string, unknown>>(
  path: string | null,
  events: (keyof M & string)[],
): { latest: Partial<M>; state: StreamState; receivedAt: number } {
  const [latest, setLatest] = useState<Partial<M>>({});
  const [receivedAt, setReceivedAt] = useState(0);
  const [state, setState] = useState<StreamState>('connecting');
  const names = events.join(' ');
  useEffect(() => {
    if (!path) return;
    setLatest({});
    setReceivedAt(0);
    setState('connecting');
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const list = names.split(' ');
    const open = (ticket: string | null) => {
      if (closed || !ticket) return;
      const separator = path.includes('?') ? '&' : '?';
      source = new EventSource(`${path}${separator}ticket=${encodeURIComponent(ticket)}`);
      for (const event of list) {
        source.addEventListener(event, (message) => {
          const value: unknown = JSON.parse((message as MessageEvent<string>).data);
          setLatest((before) => ({ ...before, [event]: value }));
          if (event === list[0]) setReceivedAt(Date.now());
          setState('live');
        });
      }
      source.onerror = () => {
        if (closed) return;
        setState('reconnecting');
        // Refused (a spent ticket) or dropped: reopen with a new ticket, rather than let the
        // browser retry the same address.
        source?.close();
        retry = setTimeout(() => void streamTicket().then(open, () => open(null)), 2000);
      };
    };
    void streamTicket().then(open, () => open(null));
    return () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [path, names]);
  return { latest, state, receivedAt };
}

/** The current time, updated every `ms`: for clocks that tick in the browser, not on the server. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
