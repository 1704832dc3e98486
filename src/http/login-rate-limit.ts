/**
 * Rate limit of a log-in route (native and every dialect's): per client address and username, so
 * guessing one user's password is slowed without locking out the others behind the same address.
 */
export function loginRateLimit(perMinute: number) {
  return {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request: { ip: string; body?: unknown }) =>
      `${request.ip}:${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
  };
}
