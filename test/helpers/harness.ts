import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import { prepareRuntime } from '../../src/runtime.js';
import { ManualClock, systemIds, type Clock } from '../../src/seams.js';
import type { Repeater } from '../../src/http/live-feed.js';
import type { ServiceDeps } from '../../src/services/context.js';
import { createCenter } from '../../src/services/centers/create-center.js';
import { createUser } from '../../src/services/users/create-user.js';
import { systemContext } from '../../src/services/context.js';
import type { ContactCenter, User } from '../../src/db/schema.js';
import { scratchPostgres } from './scratch-postgres.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on
 * the PostgreSQL server named by TEST_DATABASE_URL (dropped again at the end).
 */
export async function freshDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return connectPglite();
  const scratch = await scratchPostgres(
    url,
    `outdial_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`,
    5,
  );
  return { ...scratch.handle, close: scratch.drop };
}

export interface TestApp {
  app: FastifyInstance;
  deps: ServiceDeps;
  handle: DatabaseHandle;
  clock: ManualClock;
  close(): Promise<void>;
}

/**
 * A real app on a fresh database. `seams.clock` replaces the manual clock (the engine tests pass
 * their virtual scheduler, so services and the engine share one time).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  seams: { clock?: Clock; liveRepeat?: Repeater } = {},
): Promise<TestApp> {
  const handle = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-test-'));
  const config = loadConfig({
    PASSWORD_HASH_COST: '10',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    OUTDIAL_DATA_DIR: dataDir,
    ...env,
  });
  const clock = new ManualClock(new Date());
  const deps = await prepareRuntime(handle, config, { clock: seams.clock ?? clock, ids: systemIds });
  const app = await buildApp({
    deps,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    ...(seams.liveRepeat ? { liveRepeat: seams.liveRepeat } : {}),
  });
  await app.ready();
  return {
    app,
    deps,
    handle,
    clock,
    close: async () => {
      await app.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'correct-horse-battery';

export interface SeededCenter {
  center: ContactCenter;
  admin: User;
  supervisor: User;
  agent: User;
  tokens: { admin: string; supervisor: string; agent: string };
}

/** A center with one user of each role, each logged in. */
export async function seedCenter(t: TestApp, shortName: string): Promise<SeededCenter> {
  const { center, admin } = await createCenter(t.deps, {
    shortName,
    name: `${shortName} center`,
    defaultCountry: 'IN',
    timeZone: 'Asia/Kolkata',
    admin: { username: 'admin', password: PASSWORD },
  });
  const ctx = systemContext(center.id);
  const supervisor = await createUser(t.deps, ctx, {
    username: 'super',
    password: PASSWORD,
    role: 'supervisor',
  });
  const agent = await createUser(t.deps, ctx, {
    username: 'agent',
    password: PASSWORD,
    role: 'agent',
    extension: '1001',
  });
  const token = async (username: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username, password: PASSWORD, contact_center: shortName },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
    return res.json().access_token as string;
  };
  return {
    center,
    admin,
    supervisor,
    agent,
    tokens: { admin: await token('admin'), supervisor: await token('super'), agent: await token('agent') },
  };
}

/** inject() with a bearer token. */
/** The seeded center's admin logged in through Exotel's basic-auth login: its access token. */
export async function exotelAdminToken(t: TestApp, center: SeededCenter): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/configuration/basicauth',
    payload: {
      username: 'admin',
      password: PASSWORD,
      context: 'ContactCenter',
      contextId: String(center.center.public_number),
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().response.data.access_token;
}

export function as(t: TestApp, token: string) {
  return (opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } });
}

/** A read-write API key of the center: unlike an access token it outlives a clock moved by days. */
export async function readWriteKey(t: TestApp, center: SeededCenter): Promise<string> {
  const res = await as(
    t,
    center.tokens.admin,
  )({ method: 'POST', url: '/v1/api-keys', payload: { name: 'tests', scope: 'read_write' } });
  return res.json().key as string;
}
