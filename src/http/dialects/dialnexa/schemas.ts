import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../schemas/common.js';
import { named } from '../../schemas/components.js';
import { VariableValue } from '../../schemas/bounds.js';

export const REPORTED_ROWS = 1000;

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

export const AddLeadBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    phoneNumber: Type.String({ minLength: 1, maxLength: 64 }),
    countryCode: Type.Optional(
      Type.String({ pattern: '^\\+?[0-9]{1,4}$', examples: ['+91'], description: 'Calling code' }),
    ),
    campaignId: Type.String({ description: 'cmp_…' }),
    notes: Type.Optional(
      Type.Record(Type.String(), VariableValue, {
        maxProperties: 15,
        description: 'Up to 15 variables for the agent',
      }),
    ),
  },
  { additionalProperties: false },
);

export const DialnexaDeleted = Type.Object({ message: Type.String() });

export const DialnexaUploadAnswer = Type.Object({
  campaign_id: Type.String(),
  leads_created: Type.Integer(),
  leads_skipped: Type.Integer({ description: 'Duplicates and refused rows' }),
  message: Type.String(),
  rejected_rows: Type.Array(
    Type.Object({ line: Type.Integer(), value: Type.String(), reason: Type.String() }),
    { description: `The first ${REPORTED_ROWS} refused rows, in file order` },
  ),
});
