import type { Clock } from '../seams.js';
import { MinHeap } from './min-heap.js';

export type TimerId = number;

/**
 * Time for the engine: what time it is, and "call me at/after". The virtual scheduler runs a
 * campaign day in seconds for tests and benchmarks; the real one drives the live demo.
 */
export interface Scheduler extends Clock {
  nowMs(): number;
  at(ms: number, fn: () => void): TimerId;
  after(ms: number, fn: () => void): TimerId;
  cancel(id: TimerId): void;
}

interface Timer {
  id: TimerId;
  at: number;
  seq: number;
  fn: () => void;
}

/** A discrete-event clock: timers fire in time order (ties in scheduling order), instantly. */
export class VirtualScheduler implements Scheduler {
  private heap = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private cancelled = new Set<TimerId>();
  private nextId = 1;
  private seq = 0;
  private current: number;

  constructor(start: Date | number = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  nowMs(): number {
    return this.current;
  }

  at(ms: number, fn: () => void): TimerId {
    const timer = { id: this.nextId++, at: Math.max(ms, this.current), seq: this.seq++, fn };
    this.heap.push(timer);
    return timer.id;
  }

  after(ms: number, fn: () => void): TimerId {
    return this.at(this.current + Math.max(0, ms), fn);
  }

  cancel(id: TimerId): void {
    this.cancelled.add(id);
  }

  /** Fires every timer due up to `ms`, then sets the clock to `ms`. Returns how many fired. */
  runUntil(ms: number): number {
    let fired = 0;
    while (this.heap.size > 0 && this.heap.peek()!.at <= ms) {
      const timer = this.heap.pop()!;
      if (this.cancelled.delete(timer.id)) continue;
      this.current = timer.at;
      timer.fn();
      fired += 1;
    }
    this.current = Math.max(this.current, ms);
    return fired;
  }

  /** When the next live timer is due, if any. */
  nextAt(): number | undefined {
    while (this.heap.size > 0 && this.cancelled.has(this.heap.peek()!.id)) {
      this.cancelled.delete(this.heap.pop()!.id);
    }
    return this.heap.peek()?.at;
  }

  /**
   * Runs the timers due up to `ms` one at a time, awaiting `settle` after each, so work a timer
   * starts asynchronously (database writes) finishes before virtual time moves on. Ends at `ms`.
   */
  async advanceTo(ms: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const next = this.nextAt();
      if (next === undefined || next > ms) break;
      const timer = this.heap.pop()!;
      this.current = timer.at;
      timer.fn();
      await settle();
    }
    this.current = Math.max(this.current, ms);
  }

  /** Pending (not cancelled) timers. */
  get pending(): number {
    return this.heap.size - this.cancelled.size;
  }
}

/** Wall-clock scheduling on Node timers, for live use. */
export class RealTimeScheduler implements Scheduler {
  private timers = new Map<TimerId, NodeJS.Timeout>();
  private nextId = 1;

  now(): Date {
    return new Date();
  }

  nowMs(): number {
    return Date.now();
  }

  at(ms: number, fn: () => void): TimerId {
    return this.after(ms - Date.now(), fn);
  }

  after(ms: number, fn: () => void): TimerId {
    const id = this.nextId++;
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, ms),
    );
    handle.unref();
    this.timers.set(id, handle);
    return id;
  }

  cancel(id: TimerId): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  cancelAll(): void {
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }
}
