import type { Static } from '@sinclair/typebox';
import type { CenterResponse } from '../../schemas/center.js';
import type { ContactCenter } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentCenter(c: ContactCenter): Static<typeof CenterResponse> {
  return {
    id: toPublicId('contactCenter', c.uid),
    numeric_id: c.public_number,
    short_name: c.short_name,
    name: c.name,
    default_country: c.default_country,
    time_zone: c.time_zone,
    recording_retention_days: c.recording_retention_days,
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}
