import type { Static } from '@sinclair/typebox';
import type { DncResponse } from '../../schemas/dnc.js';
import type { DncEntry } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentDnc(e: DncEntry): Static<typeof DncResponse> {
  return {
    id: toPublicId('dncEntry', e.uid),
    phone_number: e.phone_e164,
    campaign_numeric_id: e.campaign_id,
    reason: e.reason,
    source: e.source,
    created_at: iso(e.created_at)!,
  };
}
