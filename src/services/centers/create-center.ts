import type { ContactCenter, User } from '../../db/schema.js';
import { conflict, invalid } from '../../domain/errors.js';
import { requireCountry, requirePassword, requireTimeZone } from '../../domain/validation.js';
import { tenantRepositories, sharedRepositories } from '../../repositories/index.js';
import { hashPassword } from '../auth/passwords.js';
import type { ServiceDeps } from '../context.js';

export interface CreateCenterInput {
  shortName: string;
  name: string;
  defaultCountry: string;
  timeZone: string;
  admin: { username: string; password: string; fullName?: string; email?: string };
}

const SHORT_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * A center's public number (Exotel's contextId) is nine random digits: a serial would tell each
 * tenant how many centers the server holds.
 */
const PUBLIC_NUMBER_MIN = 100_000_000;
const PUBLIC_NUMBER_SPAN = 900_000_000;

async function drawPublicNumber(
  deps: ServiceDeps,
  centers: ReturnType<typeof sharedRepositories>['contactCenters'],
): Promise<number> {
  for (;;) {
    const random = Buffer.from(deps.ids.secret(6), 'base64url').readUIntBE(0, 6);
    const candidate = PUBLIC_NUMBER_MIN + (random % PUBLIC_NUMBER_SPAN);
    if (!(await centers.findByPublicNumber(candidate))) return candidate;
  }
}

/**
 * Creates a tenant with its first admin and its default process (campaigns created through APIs
 * without a process concept belong to it). Not exposed over HTTP: operators run it from the CLI.
 */
export async function createCenter(
  deps: ServiceDeps,
  input: CreateCenterInput,
): Promise<{ center: ContactCenter; admin: User }> {
  const shortName = input.shortName.toLowerCase();
  if (!SHORT_NAME.test(shortName)) {
    throw invalid('Invalid short name', ['short name: 2-63 lowercase letters, digits or dashes']);
  }
  const defaultCountry = requireCountry(input.defaultCountry);
  const timeZone = requireTimeZone(input.timeZone);
  requirePassword(input.admin.password);
  const passwordHash = await hashPassword(input.admin.password, deps.auth.passwordHashCost);
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    const centers = sharedRepositories(trx).contactCenters;
    await centers.lockShortName(shortName);
    if (await centers.findByShortName(shortName))
      throw conflict(`A contact center named ${shortName} exists`);
    const center = await centers.insert({
      uid: deps.ids.uuid(),
      public_number: await drawPublicNumber(deps, centers),
      short_name: shortName,
      name: input.name,
      default_country: defaultCountry,
      time_zone: timeZone,
      created_at: now,
      updated_at: now,
    });
    const repos = tenantRepositories(trx, { contactCenterId: center.id });
    const admin = await repos.users.insert({
      uid: deps.ids.uuid(),
      username: input.admin.username,
      password_hash: passwordHash,
      full_name: input.admin.fullName ?? '',
      email: input.admin.email ?? null,
      role: 'admin',
      extension: null,
      created_at: now,
      updated_at: now,
    });
    await repos.processes.insert({
      uid: deps.ids.uuid(),
      name: 'Default',
      description: 'Campaigns created without a process',
      is_default: true,
      created_at: now,
      updated_at: now,
    });
    await repos.audit.record({
      at: now,
      actorType: 'system',
      actorId: 'create-center',
      action: 'center.create',
      entityType: 'contact_center',
      entityId: String(center.id),
      before: null,
      after: { ...center, admin: admin.username },
      requestId: null,
    });
    return { center, admin };
  });
}
