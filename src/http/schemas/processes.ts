import { Type } from '@sinclair/typebox';
import { Timestamp, VersionField } from './common.js';
import { named } from './components.js';

export const ProcessResponse = Type.Object(
  {
    id: Type.String({ examples: ['prc_9b2d3c4e5f60718293a4b5c6d7e8f901'] }),
    numeric_id: Type.Integer({ description: "Exotel's processId" }),
    name: Type.String(),
    description: Type.String(),
    process_type: Type.String(),
    dialing_state_level: Type.String(),
    is_default: Type.Boolean(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('Process'),
    examples: [
      {
        id: 'prc_894d74f71fd94f26a64e2ef503ef5e3a',
        numeric_id: 2,
        name: 'Sales',
        description: 'Outbound sales lines',
        process_type: 'Default',
        dialing_state_level: 'process',
        is_default: false,
        version: 1,
        created_at: '2026-12-06T18:34:44.055Z',
        updated_at: '2026-12-06T18:34:44.055Z',
      },
    ],
  },
);

export const Body = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  process_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  dialing_state_level: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

export const CreateProcessBody = Type.Object(Body, {
  examples: [{ name: 'Sales', description: 'Outbound sales lines' }],
  additionalProperties: false,
});

export const UpdateProcessBody = Type.Object(
  { ...Body, name: Type.Optional(Body.name), version: Type.Optional(VersionField) },
  { examples: [{ description: 'Outbound sales and renewals', version: 1 }], additionalProperties: false },
);
