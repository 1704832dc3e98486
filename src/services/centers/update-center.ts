import { sharedRepositories } from '../../repositories/index.js';
import type { ContactCenter } from '../../db/schema.js';
import { notFound, staleVersion } from '../../domain/errors.js';
import { requireCountry, requireTimeZone } from '../../domain/validation.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';

export interface UpdateCenterInput {
  name?: string;
  defaultCountry?: string;
  timeZone?: string;
  recordingRetentionDays?: number;
  version?: number;
}

export function getCenter(deps: ServiceDeps, ctx: RequestContext): Promise<ContactCenter> {
  return sharedRepositories(deps.db)
    .contactCenters.findById(ctx.tenant.contactCenterId)
    .then((c) => c ?? Promise.reject(notFound('Contact center')));
}

export function updateCenter(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: UpdateCenterInput,
): Promise<ContactCenter> {
  return inTenantTransaction(deps, ctx, async ({ trx, now, audit }) => {
    const centers = sharedRepositories(trx).contactCenters;
    const before = await centers.lockForUpdate(ctx.tenant.contactCenterId);
    if (!before) throw notFound('Contact center');
    if (input.version !== undefined && input.version !== before.version) throw staleVersion(before.version);
    const patch: Partial<ContactCenter> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.defaultCountry !== undefined) patch.default_country = requireCountry(input.defaultCountry);
    if (input.timeZone !== undefined) patch.time_zone = requireTimeZone(input.timeZone);
    if (input.recordingRetentionDays !== undefined)
      patch.recording_retention_days = input.recordingRetentionDays;
    const after = await centers.update(before.id, patch, now);
    await audit('center.update', 'contact_center', String(before.id), before, after);
    return after;
  });
}
