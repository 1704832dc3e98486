import { sharedRepositories } from '../../repositories/index.js';
import { invalid, notFound } from '../../domain/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { DncEntryView, DncFilters } from '../../repositories/dnc.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface DncInput {
  phone: string;
  reason?: string;
}

export type DncItemResult =
  | { index: number; status: 'added' | 'exists'; phone: string }
  | { index: number; status: 'rejected'; reason: string };

/**
 * Adds numbers to the center-wide list or a campaign's list. The engine checks the list at dial
 * time, so a number added after import is still never called.
 */
export function addDncNumbers(
  deps: ServiceDeps,
  ctx: RequestContext,
  campaignUid: string | null,
  items: DncInput[],
  source = 'api',
): Promise<DncItemResult[]> {
  return inTenantTransaction(deps, ctx, async ({ repos, trx, now, audit, publish }) => {
    const center = (await sharedRepositories(trx).contactCenters.findById(ctx.tenant.contactCenterId))!;
    const campaign = campaignUid ? await repos.campaigns.getByUid(campaignUid) : null;
    const results: DncItemResult[] = [];
    const valid: { index: number; phone: string; reason: string }[] = [];
    items.forEach((item, index) => {
      const phone = normalizePhone(item.phone, center.default_country);
      if (!phone.ok) results.push({ index, status: 'rejected', reason: `${phone.reason}: ${phone.message}` });
      else valid.push({ index, phone: phone.e164, reason: item.reason ?? '' });
    });
    const scopedBefore = new Set(
      (
        await repos.dnc.blocking(
          valid.map((v) => v.phone),
          campaign?.id ?? null,
        )
      )
        .filter((e) => e.campaign_id === (campaign?.id ?? null))
        .map((e) => e.phone_e164),
    );
    await repos.dnc.add(
      valid.map((v) => ({
        uid: deps.ids.uuid(),
        phone_e164: v.phone,
        campaign_id: campaign?.id ?? null,
        reason: v.reason,
        source,
      })),
      now,
    );
    for (const v of valid)
      results.push({
        index: v.index,
        status: scopedBefore.has(v.phone) ? 'exists' : 'added',
        phone: v.phone,
      });
    const added = results.filter((r) => r.status === 'added').map((r) => (r as { phone: string }).phone);
    if (added.length) {
      await audit('dnc.add', 'dnc_list', campaign ? toPublicId('campaign', campaign.uid) : 'center', null, {
        numbers: added.slice(0, 100),
        count: added.length,
      });
      await publish(
        valid
          .filter((v) => !scopedBefore.has(v.phone))
          .map((v) => ({
            type: 'dnc.added' as const,
            orderingKey: `phone:${v.phone}`,
            data: {
              phone: v.phone,
              campaign_id: campaign ? toPublicId('campaign', campaign.uid) : null,
              reason: v.reason,
              source,
            },
          })),
      );
    }
    return results.sort((a, b) => a.index - b.index);
  });
}

export function removeDncEntry(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const entry = await repos.dnc.findByUid(uid);
    if (!entry) throw notFound('Do-not-call entry');
    await repos.dnc.delete(entry.id);
    await audit('dnc.remove', 'dnc_entry', toPublicId('dncEntry', entry.uid), entry, null);
  });
}

export async function listDnc(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: { campaignUid?: string | null; phonePrefix?: string },
  page: PageRequest,
): Promise<Page<DncEntryView>> {
  const repos = tenantReader(deps, ctx);
  const f: DncFilters = { phonePrefix: filters.phonePrefix };
  if (filters.campaignUid === null) f.campaignId = null;
  else if (filters.campaignUid) f.campaignId = (await repos.campaigns.getByUid(filters.campaignUid)).id;
  return repos.dnc.list(f, page);
}

/** Whether a number may be called for a campaign (or center-wide), and which entries block it. */
export async function checkDnc(
  deps: ServiceDeps,
  ctx: RequestContext,
  phone: string,
  campaignUid: string | null,
): Promise<{ phone: string; blocked: boolean; entries: DncEntryView[] }> {
  const repos = tenantReader(deps, ctx);
  const center = (await sharedRepositories(deps.db).contactCenters.findById(ctx.tenant.contactCenterId))!;
  const normalized = normalizePhone(phone, center.default_country);
  if (!normalized.ok) throw invalid('Invalid phone number', [`phone: ${normalized.message}`]);
  const campaign = campaignUid ? await repos.campaigns.getByUid(campaignUid) : null;
  const entries = await repos.dnc.blocking([normalized.e164], campaign?.id ?? null);
  return { phone: normalized.e164, blocked: entries.length > 0, entries };
}
