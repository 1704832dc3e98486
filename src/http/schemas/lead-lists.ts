import { Type } from '@sinclair/typebox';
import { Timestamp, VersionField } from './common.js';
import { Count } from './bounds.js';
import { named } from './components.js';

export const LeadListResponse = Type.Object(
  {
    id: Type.String(),
    numeric_id: Type.Integer({ description: "Exotel's leadId" }),
    name: Type.String(),
    description: Type.String(),
    is_default: Type.Boolean({ description: 'Made for a campaign created without lists' }),
    contacts_by_status: Type.Record(Type.String(), Type.Integer()),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('LeadList'),
    examples: [
      {
        id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        numeric_id: 1,
        name: 'Mumbai leads',
        description: '',
        is_default: false,
        contacts_by_status: { callback: 6, completed: 28, failed: 3, in_progress: 6, new: 268, retry: 89 },
        version: 1,
        created_at: '2026-12-06T18:35:26.321Z',
        updated_at: '2026-12-06T18:35:26.321Z',
      },
    ],
  },
);

export const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
export const Window = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6 }), start: ClockTime, end: ClockTime },
  {
    examples: [{ day: 1, start: '10:00', end: '19:00' }],
    ...named('DialingWindow'),
    additionalProperties: false,
  },
);
export const FetchOrder = Type.Union(
  (['priority', 'oldest_first', 'newest_first', 'fewest_attempts_first'] as const).map((s) =>
    Type.Literal(s),
  ),
);

export const MappingResponse = Type.Object(
  {
    campaign_lead_id: Type.Integer({ description: "The mapping's id (Exotel's campaign-lead id)" }),
    campaign_id: Type.String(),
    list_id: Type.String(),
    list_name: Type.String(),
    priority: Type.Integer({ description: 'Lower dials first' }),
    weightage: Type.Integer({ description: 'Share among lists of equal priority' }),
    enabled: Type.Boolean(),
    max_attempts: Type.Integer(),
    churn_count: Type.Integer(),
    fetch_order: FetchOrder,
    dialing_enabled_at_all_times: Type.Boolean(),
    dialing_windows: Type.Array(Window),
    campaign_user_ids: Type.Array(Type.Integer(), {
      description: 'Campaign users who may take this list’s calls',
    }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('CampaignLeadList'),
    examples: [
      {
        campaign_lead_id: 1,
        campaign_id: 'cmp_f8dd47247587486f98753ae096d47383',
        list_id: 'lst_b375150bc9f8410fbe251698fafe2fee',
        list_name: 'Mumbai leads',
        priority: 1,
        weightage: 1,
        enabled: true,
        max_attempts: 3,
        churn_count: 0,
        fetch_order: 'priority',
        dialing_enabled_at_all_times: false,
        dialing_windows: [{ day: 1, start: '10:00', end: '19:00' }],
        campaign_user_ids: [1, 2],
        version: 1,
        created_at: '2026-12-06T18:35:26.349Z',
        updated_at: '2026-12-06T18:35:26.349Z',
      },
    ],
  },
);

export const MappingBody = {
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  weightage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  enabled: Type.Optional(Type.Boolean()),
  max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  churn_count: Type.Optional(Count()),
  fetch_order: Type.Optional(FetchOrder),
  dialing_enabled_at_all_times: Type.Optional(Type.Boolean()),
  dialing_windows: Type.Optional(Type.Array(Window)),
  version: Type.Optional(VersionField),
};

export const CreateLeadListBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    examples: [{ name: 'Mumbai leads', description: 'Walk-in enquiries, December' }],
    additionalProperties: false,
  },
);

export const UpdateLeadListBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Optional(VersionField),
  },
  { examples: [{ name: 'Mumbai leads (December)', version: 1 }], additionalProperties: false },
);

export const AttachListBody = Type.Object(MappingBody, {
  examples: [
    {
      priority: 1,
      weightage: 1,
      enabled: true,
      max_attempts: 3,
      fetch_order: 'priority',
      dialing_enabled_at_all_times: false,
      dialing_windows: [{ day: 1, start: '10:00', end: '19:00' }],
    },
  ],
  additionalProperties: false,
});

export const ListUsersBody = Type.Object(
  {
    assign_user_ids: Type.Array(Type.String(), { maxItems: 500, default: [] }),
    unassign_user_ids: Type.Array(Type.String(), { maxItems: 500, default: [] }),
  },
  {
    examples: [{ assign_user_ids: ['usr_2575cbaf9f9148c0b8f3479595ab9efc'], unassign_user_ids: [] }],
    additionalProperties: false,
  },
);
