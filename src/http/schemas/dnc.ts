import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';
import { named } from './components.js';

export const DncResponse = Type.Object(
  {
    id: Type.String(),
    phone_number: Type.String(),
    campaign_numeric_id: Nullable(Type.Integer({ description: 'null: the center-wide list' })),
    reason: Type.String(),
    source: Type.String(),
    created_at: Timestamp,
  },
  {
    ...named('DncEntry'),
    examples: [
      {
        id: 'dnc_1e3c52b9de5f49ffacc140f799a66797',
        phone_number: '+919820012345',
        campaign_numeric_id: null,
        reason: 'Asked not to be called',
        source: 'api',
        created_at: '2026-12-06T18:47:49.807Z',
      },
    ],
  },
);

export const ItemResult = Type.Object(
  {
    index: Type.Integer(),
    status: Type.Union([Type.Literal('added'), Type.Literal('exists'), Type.Literal('rejected')]),
    phone_number: Nullable(Type.String()),
    reason: Nullable(Type.String()),
  },
  {
    ...named('DncItemResult'),
    examples: [{ index: 0, status: 'added', phone_number: '+919820012345', reason: null }],
  },
);

export const AddDncBody = Type.Object(
  {
    phone_number: Type.String({ maxLength: 64 }),
    campaign_id: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  {
    examples: [{ phone_number: '+919820012345', reason: 'Asked not to be called' }],
    additionalProperties: false,
  },
);

export const BulkDncBody = Type.Object(
  {
    campaign_id: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    phone_numbers: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100000 }),
  },
  {
    examples: [{ reason: 'Complaint list, December', phone_numbers: ['+919820012345', '+919820012346'] }],
    additionalProperties: false,
  },
);

export const DncCheckAnswer = Type.Object(
  {
    phone_number: Type.String(),
    blocked: Type.Boolean(),
    entries: Type.Array(DncResponse),
  },
  {
    examples: [
      {
        phone_number: '+919820012345',
        blocked: true,
        entries: [
          {
            id: 'dnc_1e3c52b9de5f49ffacc140f799a66797',
            phone_number: '+919820012345',
            campaign_numeric_id: null,
            reason: 'Asked not to be called',
            source: 'api',
            created_at: '2026-12-06T18:47:49.807Z',
          },
        ],
      },
    ],
  },
);
