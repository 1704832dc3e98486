import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp, VersionField } from './common.js';
import { Count, Int4, VariableValue } from './bounds.js';
import { named } from './components.js';

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
  named('Contact'),
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
  campaign_id: Type.Optional(Type.String()),
  phone_prefix: Type.Optional(Type.String({ pattern: '^\\+?[0-9]*$' })),
  changed_since: Type.Optional(Type.String({ format: 'date-time' })),
  include_removed: Type.Optional(Type.Boolean()),
});

export const CreateContactBody = Type.Object(
  { ...Destination, ...ContactFieldsSchema, ...Dedup },
  { additionalProperties: false },
);

export const BulkContactsBody = Type.Object(
  {
    ...Destination,
    ...Dedup,
    contacts: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10000 }),
  },
  { additionalProperties: false },
);

export const UpdateContactBody = Type.Object(
  {
    ...ContactDetails,
    status: Type.Optional(Status),
    next_attempt_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    version: Type.Optional(VersionField),
  },
  { additionalProperties: false },
);
