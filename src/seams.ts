import { randomBytes, randomUUID } from 'node:crypto';

/** Time as the application sees it; the engine and tests substitute a virtual clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Identifier and secret generation, injectable so tests can make ids predictable. */
export interface IdGenerator {
  uuid(): string;
  /** Cryptographically random bytes, base64url-encoded, for tokens and API-key secrets. */
  secret(bytes?: number): string;
}

export const systemIds: IdGenerator = {
  uuid: () => randomUUID(),
  secret: (bytes = 32) => randomBytes(bytes).toString('base64url'),
};

/** A manually driven clock for tests and simulations. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
}
