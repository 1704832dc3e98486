import { Type } from '@sinclair/typebox';
import { Timestamp, VersionField } from './common.js';
import { named } from './components.js';

export const CenterResponse = Type.Object(
  {
    id: Type.String({ examples: ['ctr_0f8fad5bd9cb469fa16570867728950e'] }),
    numeric_id: Type.Integer({ description: "Exotel's contactCenterId" }),
    short_name: Type.String({ description: "Login domain (Qvoice's `domain`)" }),
    name: Type.String(),
    default_country: Type.String({ description: 'ISO 3166 country for national numbers' }),
    time_zone: Type.String(),
    recording_retention_days: Type.Integer({
      description: 'Days call recordings are kept; older ones are deleted (and the deletion audited)',
    }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('ContactCenter'),
    examples: [
      {
        id: 'ctr_5ac836b84ce247b497e273d337373a01',
        numeric_id: 1,
        short_name: 'demo',
        name: 'Demo Contact Center',
        default_country: 'IN',
        time_zone: 'Asia/Kolkata',
        recording_retention_days: 90,
        version: 1,
        created_at: '2026-12-06T18:34:44.055Z',
        updated_at: '2026-12-06T18:34:44.055Z',
      },
    ],
  },
);

export const UpdateCenterBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1 })),
    default_country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
    time_zone: Type.Optional(Type.String({ minLength: 1 })),
    recording_retention_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'Days call recordings are kept (default 90)' }),
    ),
    version: Type.Optional(VersionField),
  },
  {
    examples: [{ name: 'Mumbai Contact Center', time_zone: 'Asia/Kolkata', version: 1 }],
    additionalProperties: false,
  },
);
