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
  named('LeadList'),
);

export const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
export const Window = Type.Object(
  { day: Type.Integer({ minimum: 0, maximum: 6 }), start: ClockTime, end: ClockTime },
  { ...named('DialingWindow'), additionalProperties: false },
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
  named('CampaignLeadList'),
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
  { additionalProperties: false },
);

export const UpdateLeadListBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    version: Type.Optional(VersionField),
  },
  { additionalProperties: false },
);

export const AttachListBody = Type.Object(MappingBody, { additionalProperties: false });

export const ListUsersBody = Type.Object(
  {
    assign_user_ids: Type.Array(Type.String(), { maxItems: 500, default: [] }),
    unassign_user_ids: Type.Array(Type.String(), { maxItems: 500, default: [] }),
  },
  { additionalProperties: false },
);
