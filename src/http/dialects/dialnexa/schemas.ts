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
  {
    ...named('DialnexaCampaignLead'),
    examples: [
      {
        id: 'lead_9c1e5a7b3d2f4e6a8b0c2d4e6f8a0b1c',
        name: 'Priya Sharma',
        phone_number: '+919876543210',
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        status: 'completed',
        notes: { loan_amount: '250000', product: 'home_loan' },
        call_log_id: 'log_4601d9606017482ea06c61d37559c731',
        created_at: '2024-03-01T10:00:00.000Z',
      },
    ],
  },
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
  {
    examples: [
      {
        name: 'Priya Sharma',
        phoneNumber: '9876543210',
        countryCode: '+91',
        campaignId: 'cmp_f8dd47247587486f98753ae096d47383',
        notes: { loan_amount: '250000', product: 'home_loan' },
      },
    ],
    additionalProperties: false,
  },
);

export const DialnexaDeleted = Type.Object(
  { message: Type.String() },
  { examples: [{ message: 'Lead removed from campaign.' }] },
);

export const DialnexaUploadAnswer = Type.Object(
  {
    campaign_id: Type.String(),
    leads_created: Type.Integer(),
    leads_skipped: Type.Integer({ description: 'Duplicates and refused rows' }),
    message: Type.String(),
    rejected_rows: Type.Array(
      Type.Object({ line: Type.Integer(), value: Type.String(), reason: Type.String() }),
      { description: `The first ${REPORTED_ROWS} refused rows, in file order` },
    ),
  },
  {
    examples: [
      {
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        leads_created: 2,
        leads_skipped: 1,
        message: '2 leads created, 1 skipped (0 already in the campaign, 1 refused).',
        rejected_rows: [{ line: 3, value: '12', reason: 'too_short: too short for a phone number' }],
      },
    ],
  },
);

/** The form of DialNexa's upload-file, read from the stream by the route. */
export const DialnexaUploadForm = Type.Object(
  {
    file: Type.String({
      contentMediaType: 'application/octet-stream',
      description: 'CSV or XLSX, up to 10 MB: a phone_number column, an optional name, the rest notes',
    }),
  },
  { examples: [{ file: 'name,phone_number,loan_amount\nPriya Sharma,+919876543210,250000\n' }] },
);
