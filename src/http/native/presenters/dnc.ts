import type { Static } from '@sinclair/typebox';
import type { DncResponse } from '../../schemas/dnc.js';
import type { DncEntryView } from '../../../repositories/dnc.repository.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentDnc(e: DncEntryView): Static<typeof DncResponse> {
  return {
    id: toPublicId('dncEntry', e.uid),
    phone_number: e.phone_e164,
    campaign_numeric_id: e.campaign_number,
    reason: e.reason,
    source: e.source,
    created_at: iso(e.created_at)!,
  };
}
