import { invalid, notFound } from '../../domain/errors.js';
import { requireTimeZone } from '../../domain/validation.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ReportPeriod } from '../../repositories/reports.repository.js';
import { tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

/** Longest period a report covers: a quarter, so an hourly report stays a page long enough to read. */
const MAX_PERIOD_DAYS = 92;

export interface PeriodInput {
  from: Date;
  to: Date;
  /** Empty: the campaign's zone when one is named, else the center's. */
  timeZone?: string;
  campaignUid?: string;
}

/** A report's period, checked, with its zone and campaign resolved (another center's campaign is 404). */
export async function reportPeriod(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: PeriodInput,
): Promise<ReportPeriod & { campaignUid: string | null }> {
  if (!(input.from < input.to)) throw invalid('The period is empty', ['from: must be before to']);
  if (input.to.getTime() - input.from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
    throw invalid('The period is too long', [`to: at most ${MAX_PERIOD_DAYS} days after from`]);
  const campaign = input.campaignUid
    ? await tenantReader(deps, ctx).campaigns.getByUid(input.campaignUid)
    : undefined;
  let timeZone = input.timeZone ? requireTimeZone(input.timeZone) : campaign?.time_zone;
  if (!timeZone) {
    const center = await sharedRepositories(deps.db).contactCenters.findById(ctx.tenant.contactCenterId);
    if (!center) throw notFound('Contact center');
    timeZone = center.time_zone;
  }
  return {
    from: input.from,
    to: input.to,
    timeZone,
    ...(campaign ? { campaignId: campaign.id } : {}),
    campaignUid: campaign?.uid ?? null,
  };
}
