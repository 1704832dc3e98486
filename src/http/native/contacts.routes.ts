import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { ContactStatus } from '../../db/schema.js';
import { conflict, invalid } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ContactFilters } from '../../repositories/contacts.repository.js';
import { removeContact, updateContact } from '../../services/contacts/change-contact.js';
import { createContacts } from '../../services/contacts/create-contacts.js';
import { eraseContactRecordingsOnRequest } from '../../services/contacts/erase-contact-recordings.js';
import {
  allContacts,
  checkContactFilters,
  describeContacts,
  getContactById,
  getContactView,
  pageContactViews,
} from '../../services/contacts/read-contacts.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { contactEligibility } from '../../services/engine/contact-eligibility.js';
import { BLOCK_REASON_TEXT } from '../../domain/eligibility.js';
import { getCampaign } from '../../services/campaigns/read-campaigns.js';
import { getLeadList } from '../../services/lead-lists/manage-lead-lists.js';
import { authErrors, iso, uidParam } from './common.js';
import { CsvAnswer, IdParams, Nullable } from '../schemas/common.js';
import { sendCsvAttachment, streamedCsvExport } from '../csv-export.js';
import {
  type ContactFieldsSchema,
  ContactResponse,
  ListQuery,
  CreateContactBody,
  BulkContactsBody,
  UpdateContactBody,
  BulkContactsAnswer,
  EligibilityAnswer,
  ErasedRecordingsAnswer,
} from '../schemas/contacts.js';
import { presentContact } from './presenters/contacts.js';

function fieldsOf(item: Static<ReturnType<typeof Type.Object<typeof ContactFieldsSchema>>>) {
  return { ...item, phone: item.phone_number };
}

function destinationOf(body: { list_id?: string; campaign_id?: string }) {
  return {
    leadListUid: body.list_id === undefined ? undefined : uidParam('leadList', body.list_id, 'Lead list'),
    campaignUid:
      body.campaign_id === undefined ? undefined : uidParam('campaign', body.campaign_id, 'Campaign'),
  };
}

async function filtersOf(
  deps: ServiceDeps,
  ctx: RequestContext,
  q: Static<typeof ListQuery>,
): Promise<ContactFilters> {
  return {
    status: q.status as ContactStatus[] | undefined,
    leadListId: q.list_id
      ? (await getLeadList(deps, ctx, uidParam('leadList', q.list_id, 'Lead list'))).id
      : undefined,
    campaignId: q.campaign_id
      ? (await getCampaign(deps, ctx, uidParam('campaign', q.campaign_id, 'Campaign'))).id
      : undefined,
    phonePrefix: q.phone_prefix,
    changedSince: q.changed_since ? new Date(q.changed_since) : undefined,
    includeRemoved: q.include_removed,
  };
}

/** The filters of a page of contacts: a list or campaign named by uid is resolved by the page's own statement. */
function pageFiltersOf(q: Static<typeof ListQuery>): ContactFilters {
  return {
    status: q.status as ContactStatus[] | undefined,
    leadListUid: q.list_id ? uidParam('leadList', q.list_id, 'Lead list') : undefined,
    campaignUid: q.campaign_id ? uidParam('campaign', q.campaign_id, 'Campaign') : undefined,
    phonePrefix: q.phone_prefix,
    changedSince: q.changed_since ? new Date(q.changed_since) : undefined,
    includeRemoved: q.include_removed,
  };
}

function cursorOf(after: string | undefined): number {
  if (!after) return 0;
  const n = Number(Buffer.from(after, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0)
    throw invalid('Invalid cursor', ['after: not a cursor this API gave']);
  return n;
}

export const contactRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['contacts'];
    const security = [{ bearer: [] }];
    const id = (raw: string) => uidParam('contact', raw, 'Contact');
    const present = async (ctx: RequestContext, contacts: Parameters<typeof describeContacts>[2]) =>
      (await describeContacts(deps, ctx, contacts)).map(presentContact);

    app.post(
      '/contacts',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary:
            'Add one contact to a list or a campaign (dedup_policy skip answers 409 for a number already there)',
          body: CreateContactBody,
          response: { 201: ContactResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const { list_id, campaign_id, dedup_policy, dedup_scope, ...item } = request.body;
        const [result] = await createContacts(
          deps,
          request.ctx,
          destinationOf({ list_id, campaign_id }),
          [fieldsOf(item)],
          {
            policy: dedup_policy ?? 'allow',
            scope: dedup_scope ?? 'list',
          },
        );
        if (!result) throw new Error('no result');
        if (result.status === 'rejected')
          throw invalid(result.message, [`phone_number: ${result.message} (${result.reason})`]);
        if (result.status === 'duplicate')
          throw conflict('A contact with this number is already in the list');
        const [contact] = await present(request.ctx, [
          await getContactById(deps, request.ctx, result.contact_id),
        ]);
        return reply.status(201).send(contact!);
      },
    );

    app.post(
      '/contacts/bulk',
      {
        config: { permission: 'contacts:write' },
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags,
          security,
          summary: 'Add many contacts (up to 10,000) with a result per item; bad items never stop the rest',
          body: BulkContactsBody,
          response: {
            200: BulkContactsAnswer,
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const { contacts, dedup_policy, dedup_scope, ...destination } = request.body;
        // Items are checked one by one so that one malformed item is reported, not the whole request refused.
        const items = contacts.map((raw) => {
          const item = raw as Record<string, unknown>;
          const phone = typeof item?.phone_number === 'string' ? item.phone_number : '';
          return { ...(item as object), phone } as Parameters<typeof createContacts>[3][number];
        });
        const results = await createContacts(deps, request.ctx, destinationOf(destination), items, {
          policy: dedup_policy ?? 'skip',
          scope: dedup_scope ?? 'list',
        });
        const uids = new Map<number, string>();
        for (const r of results) if (r.status === 'created' && r.uid) uids.set(r.index, r.uid);
        return {
          summary: {
            created: results.filter((r) => r.status === 'created').length,
            updated: results.filter((r) => r.status === 'updated').length,
            duplicates: results.filter((r) => r.status === 'duplicate').length,
            rejected: results.filter((r) => r.status === 'rejected').length,
          },
          results: results.map((r) => ({
            index: r.index,
            status: r.status,
            id: uids.has(r.index) ? toPublicId('contact', uids.get(r.index)!) : null,
            reason: 'reason' in r ? r.reason : null,
            message: 'message' in r ? r.message : null,
          })),
        };
      },
    );

    app.get(
      '/contacts',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'List contacts by key-set pagination: follow next_cursor; stable while contacts are added',
          querystring: ListQuery,
          response: {
            200: Type.Object({ data: Type.Array(ContactResponse), next_cursor: Nullable(Type.String()) }),
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const filters = pageFiltersOf(q);
        let after: number;
        try {
          after = cursorOf(q.after);
        } catch (error) {
          // A missing list or campaign is answered before a bad cursor.
          await checkContactFilters(deps, request.ctx, filters);
          throw error;
        }
        const { rows, nextAfter } = await pageContactViews(deps, request.ctx, filters, after, q.limit);
        return {
          data: rows.map(presentContact),
          next_cursor: nextAfter === null ? null : Buffer.from(String(nextAfter)).toString('base64url'),
        };
      },
    );

    app.get(
      '/contacts/export.csv',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'Export matching contacts as CSV, streamed',
          querystring: Type.Omit(ListQuery, ['limit', 'after']),
          response: {
            200: CsvAnswer(
              'The contacts, one a row',
              'id,phone_number,first_name,last_name,status,attempts,last_outcome,list_id,campaign_id,time_zone,variables,created_at\n' +
                'lead_d4ed26745813470587c907f896ef760b,+919820000000,Aarav,Sharma,retry,1,no_answer,lst_b375150bc9f8410fbe251698fafe2fee,,Asia/Kolkata,"{""plan"":""Silver""}",2026-12-06T18:35:26.459Z\n',
            ),
            ...authErrors(400, 404),
          },
        },
      },
      async (request, reply) => {
        const filters = await filtersOf(deps, request.ctx, { ...request.query, limit: 1 });
        const ctx = request.ctx;
        const pages = async function* () {
          for await (const chunk of allContacts(deps, ctx, filters)) {
            yield (await present(ctx, chunk)).map((c) => ({ ...c, variables: JSON.stringify(c.variables) }));
          }
        };
        const columns = [
          'id',
          'phone_number',
          'first_name',
          'last_name',
          'status',
          'attempts',
          'last_outcome',
          'list_id',
          'campaign_id',
          'time_zone',
          'variables',
          'created_at',
        ];
        return sendCsvAttachment(reply, 'contacts.csv', streamedCsvExport(columns, pages()));
      },
    );

    app.get(
      '/contacts/:id',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'Get a contact',
          params: IdParams,
          response: { 200: ContactResponse, ...authErrors(404) },
        },
      },
      async (request) => presentContact(await getContactView(deps, request.ctx, id(request.params.id))),
    );

    app.get(
      '/contacts/:id/eligibility',
      {
        config: { permission: 'contacts:read' },
        schema: {
          tags,
          security,
          summary: 'Can this contact be dialled now? Every reason it cannot, and when it next can',
          params: IdParams,
          querystring: Type.Object({ campaign_id: Type.Optional(Type.String()) }),
          response: {
            200: EligibilityAnswer,
            ...authErrors(400, 404),
          },
        },
      },
      async (request) => {
        const contactUid = id(request.params.id);
        const campaignUid = request.query.campaign_id
          ? uidParam('campaign', request.query.campaign_id, 'Campaign')
          : undefined;
        const result = await contactEligibility(deps, request.ctx, contactUid, campaignUid);
        return {
          contact_id: request.params.id,
          campaign_id: result.campaign ? toPublicId('campaign', result.campaign.uid) : null,
          dialable: result.dialable,
          reasons: result.reasons.map((code) => ({ code, message: BLOCK_REASON_TEXT[code] })),
          next_eligible_at: iso(result.nextEligibleAt),
        };
      },
    );

    app.patch(
      '/contacts/:id',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Change a contact; `status` moves it by hand within its lifecycle',
          params: IdParams,
          body: UpdateContactBody,
          response: { 200: ContactResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const { next_attempt_at, ...rest } = request.body;
        const contact = await updateContact(deps, request.ctx, id(request.params.id), {
          ...rest,
          next_attempt_at:
            next_attempt_at === undefined
              ? undefined
              : next_attempt_at === null
                ? null
                : new Date(next_attempt_at),
        });
        return (await present(request.ctx, [contact]))[0];
      },
    );

    app.delete(
      '/contacts/:id',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: 'Remove a contact: never dialled again, its calls and history kept',
          params: IdParams,
          response: { 200: ContactResponse, ...authErrors(404, 409) },
        },
      },
      async (request) =>
        (await present(request.ctx, [await removeContact(deps, request.ctx, id(request.params.id))]))[0],
    );

    app.delete(
      '/contacts/:id/recordings',
      {
        config: { permission: 'contacts:write' },
        schema: {
          tags,
          security,
          summary: "Erase a contact's call recordings (a privacy request), whatever its campaign's state",
          description:
            'Each recording is deleted at once (no longer played) and audited; its file is removed by the ' +
            "retention worker's next round. Removing a contact erases them too, but a completed or stopped " +
            "campaign's contacts cannot be removed: this works for any contact. docs/recordings.md.",
          params: IdParams,
          response: { 200: ErasedRecordingsAnswer, ...authErrors(404) },
        },
      },
      async (request) => {
        const contactUid = id(request.params.id);
        const erased = await eraseContactRecordingsOnRequest(deps, request.ctx, contactUid);
        return { contact_id: toPublicId('contact', contactUid), erased };
      },
    );
  };
