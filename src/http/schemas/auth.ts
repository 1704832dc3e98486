import { Type } from '@sinclair/typebox';
import { named } from './components.js';

export const SessionResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Access token lifetime, seconds' }),
    refresh_token: Type.String({ description: 'Single use: each refresh returns a new one' }),
    refresh_expires_in: Type.Integer(),
  },
  named('Session'),
);

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 1 }),
    contact_center: Type.String({ minLength: 1, description: 'The center short name' }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

export const LogoutBody = Type.Object(
  { refresh_token: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
