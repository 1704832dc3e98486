import { Type } from '@sinclair/typebox';
import { named } from './components.js';
import { CenterResponse } from './center.js';
import { UserResponse } from './users.js';

export const SessionResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Access token lifetime, seconds' }),
    refresh_token: Type.String({ description: 'Single use: each refresh returns a new one' }),
    refresh_expires_in: Type.Integer(),
  },
  {
    ...named('Session'),
    examples: [
      {
        access_token:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjYyI6MSwicm9sZSI6ImFkbWluIiwic3ViIjoiNTYzYzQ3OTkifQ.Qm9ndXMtc2lnbmF0dXJlLWZvci1kb2Nz',
        token_type: 'Bearer',
        expires_in: 900,
        refresh_token: 'odr_Xk3v9LqPz2WmT7yHc4NbR8sJd1FgA6uE0oKiVnMwYt5',
        refresh_expires_in: 2592000,
      },
    ],
  },
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 1 }),
    contact_center: Type.String({ minLength: 1, description: 'The center short name' }),
  },
  {
    examples: [{ username: 'admin', password: 'demo-admin-pass', contact_center: 'demo' }],
    additionalProperties: false,
  },
);

export const RefreshBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1 }) },
  {
    examples: [{ refresh_token: 'odr_Xk3v9LqPz2WmT7yHc4NbR8sJd1FgA6uE0oKiVnMwYt5' }],
    additionalProperties: false,
  },
);

export const LogoutBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1 }) },
  {
    examples: [{ refresh_token: 'odr_Xk3v9LqPz2WmT7yHc4NbR8sJd1FgA6uE0oKiVnMwYt5' }],
    additionalProperties: false,
  },
);

export const LoginAnswer = Type.Intersect([SessionResponse, Type.Object({ user: UserResponse })], {
  examples: [
    {
      access_token:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjYyI6MSwicm9sZSI6ImFkbWluIiwic3ViIjoiNTYzYzQ3OTkifQ.Qm9ndXMtc2lnbmF0dXJlLWZvci1kb2Nz',
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: 'odr_Xk3v9LqPz2WmT7yHc4NbR8sJd1FgA6uE0oKiVnMwYt5',
      refresh_expires_in: 2592000,
      user: {
        id: 'usr_563c4799718647bda0182157a0338b20',
        numeric_id: 1,
        username: 'admin',
        full_name: 'Demo Admin',
        email: 'admin@example.com',
        role: 'admin',
        extension: null,
        phone_device: 'external',
        status: 'active',
        last_login_at: '2026-12-06T18:47:47.904Z',
        version: 1,
        created_at: '2026-12-06T18:34:44.055Z',
        updated_at: '2026-12-06T18:34:44.055Z',
      },
    },
  ],
});

export const MeAnswer = Type.Object(
  {
    kind: Type.Union([Type.Literal('user'), Type.Literal('api_key')]),
    contact_center: CenterResponse,
    user: Type.Union([UserResponse, Type.Null()]),
    api_key_id: Type.Union([Type.String(), Type.Null()]),
    scope: Type.Union([Type.String(), Type.Null()]),
  },
  {
    examples: [
      {
        kind: 'user',
        contact_center: {
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
        user: {
          id: 'usr_563c4799718647bda0182157a0338b20',
          numeric_id: 1,
          username: 'admin',
          full_name: 'Demo Admin',
          email: 'admin@example.com',
          role: 'admin',
          extension: null,
          phone_device: 'external',
          status: 'active',
          last_login_at: '2026-12-06T18:47:47.904Z',
          version: 1,
          created_at: '2026-12-06T18:34:44.055Z',
          updated_at: '2026-12-06T18:34:44.055Z',
        },
        api_key_id: null,
        scope: null,
      },
    ],
  },
);

export const StreamTicketAnswer = Type.Object(
  { ticket: Type.String(), expires_in: Type.Integer() },
  { examples: [{ ticket: 'odt_IjnzKTzvJvNsX0mMRFdhPYHs1kbKbyzBDesTw2Rq89Y', expires_in: 30 }] },
);
