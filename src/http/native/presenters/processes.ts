import type { Static } from '@sinclair/typebox';
import type { ProcessResponse } from '../../schemas/processes.js';
import type { Process } from '../../../db/schema.js';
import { toPublicId } from '../../../domain/public-ids.js';
import { iso } from '../common.js';

export function presentProcess(p: Process): Static<typeof ProcessResponse> {
  return {
    id: toPublicId('process', p.uid),
    numeric_id: p.number_in_center,
    name: p.name,
    description: p.description,
    process_type: p.process_type,
    dialing_state_level: p.dialing_state_level,
    is_default: p.is_default,
    version: p.version,
    created_at: iso(p.created_at)!,
    updated_at: iso(p.updated_at)!,
  };
}
