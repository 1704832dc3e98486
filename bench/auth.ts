// npm run bench:auth — what authentication costs on this machine, on PostgreSQL: an access token's
// check per request (signature, user, and the session look-up that lets a logout end it at once),
// and a login at the configured scrypt cost (right password, wrong password, unknown user).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { prepareRuntime } from '../src/runtime.js';
import { authenticate } from '../src/services/auth/authenticate.js';
import { login } from '../src/services/auth/login.js';
import { verifyAccessToken } from '../src/services/auth/tokens.js';
import { tenantRepositories } from '../src/repositories/index.js';
import { RefreshTokensRepository } from '../src/repositories/refresh-tokens.repository.js';
import { createCenter } from '../src/services/centers/create-center.js';
import { freshPostgres } from './support.js';

const COST = Number(process.env.PASSWORD_HASH_COST ?? 17);
const CHECKS = 2000;
const LOGINS = 5;

const scratch = await freshPostgres('outdial_bench_auth');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outdial-bench-auth-'));
try {
  const config = loadConfig({
    OUTDIAL_DATA_DIR: dataDir,
    PASSWORD_HASH_COST: String(COST),
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
  });
  const deps = await prepareRuntime(scratch.handle, config);
  await createCenter(deps, {
    shortName: 'bench',
    name: 'Bench',
    defaultCountry: 'IN',
    timeZone: 'Asia/Kolkata',
    admin: { username: 'admin', password: 'bench-password' },
  });
  const attempt = (username: string, password: string) =>
    login(deps, { username, password, contactCenter: { shortName: 'bench' }, clientAddress: '127.0.0.1' });
  const { tokens } = await attempt('admin', 'bench-password');

  const time = async (n: number, work: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await work();
    return Number(process.hrtime.bigint() - start) / 1e6 / n;
  };
  const signatureOnly = await time(CHECKS, () => verifyAccessToken(deps, tokens.access_token));
  const users = tenantRepositories(deps.db, { contactCenterId: 1 }).users;
  const claims = (await verifyAccessToken(deps, tokens.access_token))!;
  const withUser = await time(CHECKS, async () => {
    await verifyAccessToken(deps, tokens.access_token);
    await users.findByUid(claims.userUid);
  });
  const sessionAlone = await time(CHECKS, () =>
    new RefreshTokensRepository(deps.db).familyOpen(claims.sessionId),
  );
  const full = await time(CHECKS, () => authenticate(deps, tokens.access_token));
  console.log(`access token check, ${CHECKS} times (PostgreSQL, pool of 4):`);
  console.log(`  signature and claims only          ${signatureOnly.toFixed(3)} ms`);
  console.log(`  + the user (as before sessions)    ${withUser.toFixed(3)} ms`);
  console.log(`  + user and session, in parallel    ${full.toFixed(3)} ms (as served now)`);
  console.log(`  the session look-up alone          ${sessionAlone.toFixed(3)} ms`);

  const refuse = async (username: string, password: string) =>
    attempt(username, password).then(
      () => {
        throw new Error('accepted');
      },
      () => undefined,
    );
  console.log(`login at scrypt N=2^${COST}, r=8, p=1, mean of ${LOGINS}:`);
  console.log(
    `  right password                     ${(await time(LOGINS, () => attempt('admin', 'bench-password'))).toFixed(0)} ms`,
  );
  console.log(
    `  wrong password                     ${(await time(LOGINS, () => refuse('admin', 'wrong'))).toFixed(0)} ms`,
  );
  console.log(
    `  unknown user                       ${(await time(LOGINS, () => refuse('nobody', 'wrong'))).toFixed(0)} ms`,
  );
  const unknownCenter = () =>
    login(deps, {
      username: 'admin',
      password: 'x',
      contactCenter: { shortName: 'nowhere' },
      clientAddress: '127.0.0.1',
    }).then(
      () => {
        throw new Error('accepted');
      },
      () => undefined,
    );
  console.log(`  unknown center                     ${(await time(LOGINS, unknownCenter)).toFixed(0)} ms`);
} finally {
  await scratch.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
