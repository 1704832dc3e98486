import type { Static } from '@sinclair/typebox';
import type { UserResponse } from '../../schemas/users.js';
import type { User } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentUser(u: User): Static<typeof UserResponse> {
  return {
    id: toPublicId('user', u.uid),
    numeric_id: u.id,
    username: u.username,
    full_name: u.full_name,
    email: u.email,
    role: u.role,
    extension: u.extension,
    phone_device: u.phone_device,
    status: u.status,
    last_login_at: iso(u.last_login_at),
    version: u.version,
    created_at: iso(u.created_at)!,
    updated_at: iso(u.updated_at)!,
  };
}
