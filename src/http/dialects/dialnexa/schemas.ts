import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../schemas/common.js';
import { named } from '../../schemas/components.js';

export const CampaignLead = Type.Object(
  {
    id: Type.String({ examples: ['lead_210ea5d942f41744f1ef37e84a59878d'] }),
    name: Type.String(),
    phone_number: Type.String({ description: 'E.164' }),
    campaign_id: Nullable(Type.String({ description: 'cmp_…' })),
    status: Type.String({ description: 'pending, in_progress, completed, failed or removed' }),
    notes: Type.Record(Type.String(), Type.String()),
    call_log_id: Nullable(Type.String({ description: 'log_… once a call has been placed' })),
    created_at: Timestamp,
  },
  named('DialnexaCampaignLead'),
);
