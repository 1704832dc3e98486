import { useEffect, useState } from 'react';
import { freshAccessToken, loadSession } from './api';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * The latest value of a Server-Sent Events stream of the API. The browser's EventSource cannot
 * send headers, so the token goes in the address; when the server refuses it (it expired) the
 * token is refreshed and the stream opened again. Network drops are retried by the browser itself.
 */
export function useEventStream<T>(
  path: string | null,
  event: string,
): { data: T | undefined; state: StreamState; receivedAt: number } {
  const [data, setData] = useState<{ value: T; at: number }>();
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    if (!path) return;
    setData(undefined);
    setState('connecting');
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const open = (token: string | null | undefined) => {
      if (closed || !token) return;
      const separator = path.includes('?') ? '&' : '?';
      source = new EventSource(`${path}${separator}access_token=${encodeURIComponent(token)}`);
      source.addEventListener(event, (message) => {
        setData({ value: JSON.parse((message as MessageEvent<string>).data) as T, at: Date.now() });
        setState('live');
      });
      source.onerror = () => {
        if (closed) return;
        setState('reconnecting');
        if (source?.readyState === EventSource.CLOSED) {
          // Refused (an expired token, most likely): the browser gives up, so we reopen.
          source.close();
          retry = setTimeout(() => void freshAccessToken().then(open, () => open(null)), 2000);
        }
      };
    };
    open(loadSession()?.access_token);
    return () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [path, event]);
  return { data: data?.value, state, receivedAt: data?.at ?? 0 };
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
