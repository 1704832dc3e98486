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
  named('DncEntry'),
);

export const ItemResult = Type.Object({
  index: Type.Integer(),
  status: Type.String({ description: 'added, exists or rejected' }),
  phone_number: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});

export const AddDncBody = Type.Object(
  {
    phone_number: Type.String({ maxLength: 64 }),
    campaign_id: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const BulkDncBody = Type.Object(
  {
    campaign_id: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    phone_numbers: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100000 }),
  },
  { additionalProperties: false },
);
