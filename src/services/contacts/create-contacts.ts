import { sharedRepositories } from '../../repositories/index.js';
import type { DedupPolicy, DedupScope } from '../../db/schema.js';
import { invalid, notFound } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { TenantRepositories } from '../../repositories/index.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';
import { ensureDefaultList } from '../lead-lists/campaign-lead-lists.js';
import { prepareContact, type ContactFields, type ContactTarget } from '../../imports/prepare-contact.js';
import { writeContactBatch } from './write-contact-batch.js';

/** Where contacts go: a list, a campaign (its default list), or a list within a campaign. */
export interface ContactDestination {
  leadListUid?: string;
  campaignUid?: string;
}

export type ItemResult =
  | { index: number; status: 'created' | 'updated'; contact_id: number; uid?: string }
  | { index: number; status: 'duplicate'; contact_id: number | null; reason: string }
  | { index: number; status: 'rejected'; reason: string; message: string };

/** Resolves a destination to the list id and campaign id its contacts carry, creating a default list if needed. */
export async function resolveDestination(
  deps: ServiceDeps,
  repos: TenantRepositories,
  ctx: RequestContext,
  destination: ContactDestination,
  now: Date,
  importJobId: number | null = null,
): Promise<ContactTarget> {
  const center = await sharedRepositories(repos.scope.db).contactCenters.findById(ctx.tenant.contactCenterId);
  if (!center) throw notFound('Contact center');
  if (!destination.leadListUid && !destination.campaignUid) {
    throw invalid('Say where the contacts go', ['list_id or campaign_id is required']);
  }
  const campaign = destination.campaignUid
    ? await repos.campaigns.getByUid(destination.campaignUid)
    : undefined;
  const list = destination.leadListUid
    ? await repos.leadLists.getByUid(destination.leadListUid)
    : await ensureDefaultList(repos, deps.ids, campaign!, now);
  return {
    leadListId: list.id,
    campaignId: campaign?.id ?? null,
    defaultCountry: center.default_country,
    centerTimeZone: center.time_zone,
    importJobId,
  };
}

/**
 * Creates contacts (one or thousands) with a result per item: created, updated, duplicate, or
 * rejected with the reason. One bad item never stops the others.
 */
export async function createContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  destination: ContactDestination,
  items: ContactFields[],
  dedup: { policy: DedupPolicy; scope: DedupScope },
): Promise<ItemResult[]> {
  const { results, target } = await writeContacts(deps, ctx, destination, items, dedup);
  // After the commit, outside the transaction: an ANALYZE holds its lock only while it runs. A
  // list that grew faster than autovacuum follows would otherwise slow its own next adds (the
  // dedup probe walking the whole list per row, issue 24).
  if (results.some((r) => r.status === 'created'))
    await tenantReader(deps, ctx).contactBatches.refreshStatisticsIfGrown(
      dedup.scope === 'campaign' && target.campaignId !== null
        ? { column: 'campaign_id', id: target.campaignId }
        : { column: 'lead_list_id', id: target.leadListId },
    );
  return results;
}

function writeContacts(
  deps: ServiceDeps,
  ctx: RequestContext,
  destination: ContactDestination,
  items: ContactFields[],
  dedup: { policy: DedupPolicy; scope: DedupScope },
): Promise<{ results: ItemResult[]; target: { leadListId: number; campaignId: number | null } }> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const target = await resolveDestination(deps, repos, ctx, destination, now);
    const results: ItemResult[] = new Array(items.length);
    const prepared: {
      index: number;
      contact: NonNullable<ReturnType<typeof prepareContact> & { ok: true }>['contact'];
    }[] = [];
    items.forEach((item, index) => {
      const p = prepareContact(item, target, deps.ids.uuid());
      if (p.ok) prepared.push({ index, contact: p.contact });
      else results[index] = { index, status: 'rejected', reason: p.reason, message: p.message };
    });
    const outcomes = await writeContactBatch(
      repos,
      prepared.map((p) => p.contact),
      target,
      dedup,
      now,
    );
    outcomes.forEach((outcome, i) => {
      const index = prepared[i]!.index;
      if (outcome.kind === 'created')
        results[index] = { index, status: 'created', contact_id: outcome.id, uid: outcome.uid };
      else if (outcome.kind === 'updated')
        results[index] = { index, status: 'updated', contact_id: outcome.id };
      else if (outcome.kind === 'duplicate')
        results[index] = { index, status: 'duplicate', contact_id: outcome.id, reason: 'duplicate' };
      else
        results[index] = {
          index,
          status: 'rejected',
          reason: 'dnc',
          message: 'the number is on a do-not-call list',
        };
    });
    const created = results.filter((r) => r.status === 'created').length;
    if (created || results.some((r) => r.status === 'updated')) {
      await audit(
        'contacts.create',
        'lead_list',
        toPublicId('leadList', (await repos.leadLists.getById(target.leadListId)).uid),
        null,
        {
          created,
          updated: results.filter((r) => r.status === 'updated').length,
          items: items.length,
        },
      );
    }
    return { results, target };
  });
}
