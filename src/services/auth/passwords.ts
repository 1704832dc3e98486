import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt (memory-hard, from Node's crypto): N = 2^cost, r = 8, p = 1
 * (OWASP's recommendation is N = 2^17: 128 MiB per hash). The parameters are stored with each
 * hash, so raising the cost keeps old hashes valid; they are rehashed at the next login.
 */
function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function optionsFor(logN: number, r: number, p: number): ScryptOptions {
  return { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, optionsFor(cost, 8, 1));
  return `scrypt$${cost}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64url'),
    optionsFor(Number(logN), Number(r), Number(p)),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The cost (log2 N) a stored hash was made with, or undefined for a hash of another form. */
function costOf(stored: string): number | undefined {
  const [scheme, logN] = stored.split('$');
  return scheme === 'scrypt' && logN ? Number(logN) : undefined;
}

/** A hash made at a lower cost than today's setting is replaced at the next successful login. */
export function needsRehash(stored: string, cost: number): boolean {
  const current = costOf(stored);
  return current === undefined || current < cost;
}

const unusable = new Map<number, string>();

/**
 * A hash that matches nothing, at the current cost: verified when the center or the username is
 * unknown, so such a login takes as long as a wrong password.
 */
export function unusableHash(cost: number): string {
  let hash = unusable.get(cost);
  if (!hash) {
    hash = `scrypt$${cost}$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;
    unusable.set(cost, hash);
  }
  return hash;
}
