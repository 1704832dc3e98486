/**
 * Server-Sent Events fan-out: one loader per topic (e.g. a campaign's live numbers) runs every
 * interval while at least one client listens, however many clients that is, and each client gets
 * the value whenever it changes. The database is polled once per topic and process, never once
 * per open browser.
 */
/** Calls `fn` every `ms` until the returned function is called: real timers live, a manual one in tests. */
export type Repeater = (ms: number, fn: () => void) => () => void;

export const realRepeater: Repeater = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export class LiveFeed<T> {
  private topics = new Map<
    string,
    { listeners: Set<(value: T) => void>; cancel: () => void; last: string | null; running: boolean }
  >();

  constructor(
    private readonly repeat: Repeater,
    private readonly intervalMs: number,
    /** What counts as a change: the value without its timestamp, say. */
    private readonly fingerprint: (value: T) => string = (v) => JSON.stringify(v),
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Listens to a topic from now on. The caller sends the current value itself and passes it as
   * `sent`, so a topic it opens does not send that same value again at its first refresh (a
   * duplicate a browser would take for news: the agents board resets its clock on each one).
   */
  subscribe(key: string, load: () => Promise<T>, listener: (value: T) => void, sent?: T): () => void {
    let topic = this.topics.get(key);
    if (!topic) {
      const created = {
        listeners: new Set<(value: T) => void>(),
        last: sent === undefined ? null : this.fingerprint(sent),
        running: false,
        cancel: this.repeat(this.intervalMs, () => void this.refresh(key, load)),
      };
      this.topics.set(key, created);
      topic = created;
    }
    topic.listeners.add(listener);
    return () => {
      const t = this.topics.get(key);
      if (!t) return;
      t.listeners.delete(listener);
      if (t.listeners.size === 0) {
        t.cancel();
        this.topics.delete(key);
      }
    };
  }

  get topicCount(): number {
    return this.topics.size;
  }

  private async refresh(key: string, load: () => Promise<T>): Promise<void> {
    const topic = this.topics.get(key);
    if (!topic || topic.running) return;
    topic.running = true;
    try {
      const value = await load();
      const print = this.fingerprint(value);
      if (print === topic.last) return;
      topic.last = print;
      for (const listener of topic.listeners) listener(value);
    } catch (error) {
      this.onError(error);
    } finally {
      topic.running = false;
    }
  }

  close(): void {
    for (const topic of this.topics.values()) topic.cancel();
    this.topics.clear();
  }
}
