import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { Count, Int4, VariableValue } from './bounds.js';
import { named } from './components.js';

/** A contact as the API shows it. */
export const contactExample = {
  id: 'lead_d4ed26745813470587c907f896ef760b',
  numeric_id: 1,
  list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
  campaign_id: null,
  phone_number: '+919820000000',
  phone_raw: '9820000000',
  phone_country: 'IN',
  first_name: 'Aarav',
  last_name: 'Sharma',
  variables: { plan: 'Silver', renewal_month: '1' },
  ticket_id: null,
  note: null,
  type: null,
  priority: 0,
  max_retries: null,
  cool_off_seconds: null,
  time_zone: 'Asia/Kolkata',
  time_zones: ['Asia/Kolkata'],
  time_zone_source: 'number',
  status: 'retry',
  attempts: 1,
  next_attempt_at: '2026-12-06T19:36:10.846Z',
  last_attempt_at: '2026-12-06T18:35:45.275Z',
  last_outcome: 'no_answer',
  callback_at: null,
  removed_at: null,
  version: 3,
  created_at: '2026-12-06T18:35:26.459Z',
  updated_at: '2026-12-06T18:36:10.846Z',
};

export const Status = Type.Union(
  (['new', 'in_progress', 'retry', 'callback', 'completed', 'failed', 'dnc', 'removed'] as const).map((s) =>
    Type.Literal(s),
  ),
);
export const Variables = Type.Record(Type.String(), VariableValue, {
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
  {
    ...named('Contact'),
    examples: [contactExample],
  },
);

/** The details a client may set on a contact, at creation and later. */
export const ContactDetails = {
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
export const ContactFieldsSchema = { phone_number: Type.String({ maxLength: 64 }), ...ContactDetails };
export const Destination = {
  list_id: Type.Optional(Type.String({ description: 'lst_…' })),
  campaign_id: Type.Optional(
    Type.String({ description: 'cmp_…: without list_id, the campaign’s default list' }),
  ),
};
export const Dedup = {
  dedup_policy: Type.Optional(
    Type.Union([Type.Literal('skip'), Type.Literal('update'), Type.Literal('allow')]),
  ),
  dedup_scope: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('campaign')])),
};

export const ListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  after: Type.Optional(Type.String({ description: 'The next_cursor of the previous page' })),
  status: Type.Optional(Type.Array(Status)),
  list_id: Type.Optional(Type.String()),
  campaign_id: Type.Optional(
    Type.String({
      description: 'cmp_…: the contacts added for the campaign and those of the lists attached to it',
    }),
  ),
  phone_prefix: Type.Optional(Type.String({ pattern: '^\\+?[0-9]*$' })),
  changed_since: Type.Optional(Type.String({ format: 'date-time' })),
  include_removed: Type.Optional(Type.Boolean()),
});

export const CreateContactBody = Type.Object(
  { ...Destination, ...ContactFieldsSchema, ...Dedup },
  {
    examples: [
      {
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        phone_number: '+919820000000',
        first_name: 'Aarav',
        last_name: 'Sharma',
        variables: { plan: 'Silver', renewal_month: '1' },
        dedup_policy: 'skip',
      },
    ],
    additionalProperties: false,
  },
);

export const BulkContactsBody = Type.Object(
  {
    ...Destination,
    ...Dedup,
    contacts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10000 }),
  },
  {
    examples: [
      {
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        dedup_policy: 'skip',
        contacts: [
          { phone_number: '+919820000001', first_name: 'Diya', variables: { plan: 'Gold' } },
          { phone_number: '9820000002', first_name: 'Kabir' },
        ],
      },
    ],
    additionalProperties: false,
  },
);

export const UpdateContactBody = Type.Object(
  {
    ...ContactDetails,
    status: Type.Optional(Status),
    next_attempt_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    version: Type.Optional(VersionField),
  },
  {
    examples: [{ status: 'callback', note: 'Asked to be called after 6 pm', version: 3 }],
    additionalProperties: false,
  },
);

export const BulkContactsAnswer = Type.Object(
  {
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
  },
  {
    examples: [
      {
        summary: { created: 1, updated: 0, duplicates: 0, rejected: 1 },
        results: [
          {
            index: 0,
            status: 'created',
            id: 'lead_5b1f0e8d2c4a4e6f9a7b3c1d0e2f4a6b',
            reason: null,
            message: null,
          },
          {
            index: 1,
            status: 'rejected',
            id: null,
            reason: 'invalid_phone',
            message: 'not a valid phone number',
          },
        ],
      },
    ],
  },
);

export const EligibilityAnswer = Type.Object(
  {
    contact_id: Type.String(),
    campaign_id: Nullable(Type.String()),
    dialable: Type.Boolean(),
    reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
    next_eligible_at: Nullable(Timestamp),
  },
  {
    examples: [
      {
        contact_id: 'lead_d4ed26745813470587c907f896ef760b',
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        dialable: false,
        reasons: [{ code: 'retry_not_due', message: 'its next attempt is scheduled later' }],
        next_eligible_at: '2026-12-06T19:36:10.846Z',
      },
    ],
  },
);

export const ErasedRecordingsAnswer = Type.Object(
  {
    contact_id: Type.String(),
    erased: Type.Integer({ minimum: 0, description: 'recordings of the contact deleted by this request' }),
  },
  { examples: [{ contact_id: 'lead_d4ed26745813470587c907f896ef760b', erased: 2 }] },
);
