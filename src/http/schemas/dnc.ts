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
