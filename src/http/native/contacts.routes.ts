import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { ContactStatus } from '../../db/schema.js';
import { conflict, invalid } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ContactFilters, ContactView } from '../../repositories/contacts.repository.js';
import { removeContact, updateContact } from '../../services/contacts/change-contact.js';
import { createContacts } from '../../services/contacts/create-contacts.js';
import {
  allContacts,
  describeContacts,
  getContact,
  getContactById,
  pageContacts,
} from '../../services/contacts/read-contacts.js';
import type { RequestContext, ServiceDeps } from '../../services/context.js';
import { contactEligibility } from '../../services/engine/contact-eligibility.js';
import { BLOCK_REASON_TEXT } from '../../domain/eligibility.js';
import { getCampaign } from '../../services/campaigns/read-campaigns.js';
import { getLeadList } from '../../services/lead-lists/manage-lead-lists.js';
import { authErrors, IdParams, iso, Nullable, Timestamp, uidParam, VersionField } from './common.js';
import { Count, Int4, VariableValue } from '../schemas/bounds.js';
import { named } from '../schemas/components.js';
import { csvExport } from '../csv-export.js';

const Status = Type.Union(
  (['new', 'in_progress', 'retry', 'callback', 'completed', 'failed', 'dnc', 'removed'] as const).map((s) =>
    Type.Literal(s),
  ),
);
const Variables = Type.Record(Type.String(), VariableValue, {
  description:
    'Custom variables: at most 50, names of letters, digits, _ . - up to 64 characters, values up to 1,024',
});

export const ContactResponse = Type.Object(
  {
    id: Type.String({ examples: ['lead_m4b7zx9nq2pw…'] }),
    numeric_id: Type.Integer(),
    list_id: Type.String(),
    campaign_id: Nullable(Type.String()),
    phone_number: Type.String({ description: 'E.164' }),
    phone_raw: Type.String({ description: 'As given' }),
    phone_country: Nullable(Type.String()),
    first_name: Type.String(),
    last_name: Type.String(),
    variables: Type.Record(Type.String(), Type.String()),
    ticket_id: Nullable(Type.String()),
    note: Nullable(Type.String()),
    type: Nullable(Type.String()),
    priority: Type.Integer(),
    max_retries: Nullable(Type.Integer()),
    cool_off_seconds: Nullable(Type.Integer()),
    time_zone: Type.String({
      description: 'Canonical IANA name; with several candidates, the first of them',
    }),
    time_zones: Type.Array(Type.String(), {
      description:
        "Every zone the contact may be in: one, or several where its number's prefix spans them; it is called only inside calling hours in each",
    }),
    time_zone_source: Type.String({
      description:
        "explicit (given), number (from the number's prefix) or center_default (a fallback: the center's zone, for want of anything better)",
    }),
    status: Status,
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Timestamp),
    last_attempt_at: Nullable(Timestamp),
    last_outcome: Nullable(Type.String()),
    callback_at: Nullable(Timestamp),
    removed_at: Nullable(Timestamp),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('Contact'),
);

export function presentContact(c: ContactView) {
  return {
    id: toPublicId('contact', c.uid),
    numeric_id: c.id,
    list_id: toPublicId('leadList', c.list_uid),
    campaign_id: c.campaign_uid ? toPublicId('campaign', c.campaign_uid) : null,
    phone_number: c.phone_e164,
    phone_raw: c.phone_raw,
    phone_country: c.phone_country,
    first_name: c.first_name,
    last_name: c.last_name,
    variables: c.variables,
    ticket_id: c.ticket_id,
    note: c.note,
    type: c.type,
    priority: c.priority,
    max_retries: c.max_retries,
    cool_off_seconds: c.cool_off_seconds,
    time_zone: c.time_zone,
    time_zones: c.time_zones,
    time_zone_source: c.time_zone_source,
    status: c.status,
    attempts: c.attempts,
    next_attempt_at: iso(c.next_attempt_at),
    last_attempt_at: iso(c.last_attempt_at),
    last_outcome: c.last_outcome,
    callback_at: iso(c.callback_at),
    removed_at: iso(c.removed_at),
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}

/** The details a client may set on a contact, at creation and later. */
const ContactDetails = {
  first_name: Type.Optional(Type.String({ maxLength: 200 })),
  last_name: Type.Optional(Type.String({ maxLength: 200 })),
  variables: Type.Optional(Variables),
  ticket_id: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
  type: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  priority: Type.Optional(Int4()),
  max_retries: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100 }))),
  cool_off_seconds: Type.Optional(Nullable(Count())),
  time_zone: Type.Optional(Nullable(Type.String())),
};
const ContactFieldsSchema = { phone_number: Type.String({ maxLength: 64 }), ...ContactDetails };
const Destination = {
  list_id: Type.Optional(Type.String({ description: 'lst_…' })),
  campaign_id: Type.Optional(
    Type.String({ description: 'cmp_…: without list_id, the campaign’s default list' }),
  ),
};
const Dedup = {
  dedup_policy: Type.Optional(
    Type.Union([Type.Literal('skip'), Type.Literal('update'), Type.Literal('allow')]),
  ),
  dedup_scope: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('campaign')])),
};

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

const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  after: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
  status: Type.Optional(Type.Array(Status)),
  list_id: Type.Optional(Type.String()),
  campaign_id: Type.Optional(Type.String()),
  phone_prefix: Type.Optional(Type.String({ pattern: '^\\+?[0-9]*$' })),
  changed_since: Type.Optional(Type.String({ format: 'date-time' })),
  include_removed: Type.Optional(Type.Boolean()),
});

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
          body: Type.Object(
            { ...Destination, ...ContactFieldsSchema, ...Dedup },
            { additionalProperties: false },
          ),
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
          body: Type.Object(
            {
              ...Destination,
              ...Dedup,
              contacts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10000 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              summary: Type.Object({
                created: Type.Integer(),
                updated: Type.Integer(),
                duplicates: Type.Integer(),
                rejected: Type.Integer(),
              }),
              results: Type.Array(
                Type.Object({
                  index: Type.Integer(),
                  status: Type.String({ description: 'created, updated, duplicate or rejected' }),
                  id: Nullable(Type.String()),
                  reason: Nullable(Type.String()),
                  message: Nullable(Type.String()),
                }),
              ),
            }),
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
        const { rows, nextAfter } = await pageContacts(
          deps,
          request.ctx,
          await filtersOf(deps, request.ctx, q),
          cursorOf(q.after),
          q.limit,
        );
        return {
          data: await present(request.ctx, rows),
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
          response: { 200: Type.String({ description: 'text/csv' }), ...authErrors(400, 404) },
        },
      },
      async (request, reply) => {
        const filters = await filtersOf(deps, request.ctx, { ...request.query, limit: 1 });
        const csv = csvExport([
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
        ]);
        const ctx = request.ctx;
        void (async () => {
          try {
            for await (const chunk of allContacts(deps, ctx, filters)) {
              for (const c of await present(ctx, chunk)) {
                const ok = csv.write({ ...c, variables: JSON.stringify(c.variables) });
                if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
              }
            }
            csv.end();
          } catch (error) {
            csv.destroy(error as Error);
          }
        })();
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="contacts.csv"')
          .send(csv as never);
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
      async (request) =>
        (await present(request.ctx, [await getContact(deps, request.ctx, id(request.params.id))]))[0],
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
            200: Type.Object({
              contact_id: Type.String(),
              campaign_id: Nullable(Type.String()),
              dialable: Type.Boolean(),
              reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
              next_eligible_at: Nullable(Timestamp),
            }),
            ...authErrors(404),
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
          body: Type.Object(
            {
              ...ContactDetails,
              status: Type.Optional(Status),
              next_attempt_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
              version: Type.Optional(VersionField),
            },
            { additionalProperties: false },
          ),
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
  };
