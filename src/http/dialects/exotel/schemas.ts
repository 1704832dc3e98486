import { Type } from '@sinclair/typebox';
import { named } from '../../schemas/components.js';
import { RowIdText, RowId } from '../../schemas/bounds.js';

export const ProcessItem = Type.Object(
  {
    processId: Type.Integer(),
    processName: Type.String(),
    contactCenterId: Type.Integer(),
    processType: Type.String(),
    description: Type.String(),
    dialingStateLevel: Type.String(),
    dateAdded: Type.String(),
    dateModified: Type.String(),
  },
  named('ExotelProcess'),
);

export const CampaignItem = Type.Object(
  {
    campaignContextId: Type.Integer(),
    campaignContextName: Type.String(),
    campaignContextType: Type.String(),
    contactCenterId: Type.Integer(),
    processId: Type.Integer(),
    description: Type.String(),
    dateAdded: Type.String(),
    dateModified: Type.String(),
    ref: Type.Integer(),
    version: Type.Integer(),
  },
  named('ExotelCampaign'),
);

/**
 * Exotel's "lead" is Outdial's lead list; its "campaign-lead" is the list's attachment to a
 * campaign (priority, weightage, attempts, windows) and its user mappings name campaign users.
 */

export const UserMapping = Type.Object(
  {
    id: Type.Integer({ description: 'The mapping row' }),
    campaignLeadId: Type.Integer(),
    campaignUserId: Type.Integer(),
  },
  named('ExotelUserMapping'),
);

export const DialingConfiguration = Type.Object(
  {
    day: Type.Integer({ description: '0 = Sunday' }),
    start: Type.String({ description: 'HH:MM in the campaign’s time zone' }),
    end: Type.String(),
  },
  named('ExotelDialingConfiguration'),
);

export const FetchOrderDetail = Type.Object(
  { fieldName: Type.String(), order: Type.String() },
  named('ExotelFetchOrder'),
);

export const CampaignLead = Type.Object(
  {
    id: Type.Integer({ description: 'Campaign-lead mapping id' }),
    campaignContextId: Type.Integer(),
    leadId: Type.Integer({ description: 'The lead list' }),
    priority: Type.Integer(),
    weightage: Type.Integer(),
    enabled: Type.Boolean(),
    maxAttempt: Type.Integer(),
    churnCount: Type.Integer(),
    fetchOrderDetails: Type.Array(FetchOrderDetail),
    leadDialingConfigurationEnabled: Type.Boolean(),
    leadDialingEnabledAtAllTime: Type.Boolean(),
    campaignLeadDialingConfigurations: Type.Array(DialingConfiguration),
    campaignLeadUserMappings: Type.Array(UserMapping),
    dateAdded: Type.String(),
    dateModified: Type.String(),
    ref: Type.Integer(),
    version: Type.Integer(),
  },
  named('ExotelCampaignLead'),
);

export const LeadUserMapping = Type.Object(
  {
    campaignLeadId: Type.Integer(),
    assignedCampaignUserIds: Type.Array(Type.Integer()),
    unassignedCampaignUserIds: Type.Array(Type.Integer()),
    leadId: Type.Integer(),
    campaignId: Type.Integer(),
    assignedUserIds: Type.Array(Type.String({ description: 'usernames' })),
    unassignedUserIds: Type.Array(Type.String()),
  },
  named('ExotelLeadUserMapping'),
);

export const BasicAuthBody = Type.Object({
  username: Type.String({ minLength: 1 }),
  password: Type.String({ minLength: 1 }),
  context: Type.Literal('ContactCenter'),
  contextId: RowIdText({ description: 'The contact center id' }),
  dateExpiry: Type.Optional(Type.String()),
  userRole: Type.Optional(Type.String()),
});

export const LeadUserMappingBody = Type.Object({
  leadId: RowId(),
  campaignId: RowId(),
  assignedUserIds: Type.Array(Type.String({ minLength: 1 }), { maxItems: 500, default: [] }),
  unassignedUserIds: Type.Array(Type.String({ minLength: 1 }), { maxItems: 500, default: [] }),
});

export const ExotelTokenAnswer = Type.Object({
  request_id: Type.String(),
  method: Type.String(),
  http_code: Type.Integer(),
  response: Type.Object({
    code: Type.Integer(),
    status: Type.String(),
    data: Type.Object({
      access_token: Type.String(),
      token_type: Type.String(),
      expires_in: Type.Integer(),
    }),
  }),
});

export const ExotelProcessesAnswer = Type.Object({
  http_code: Type.Integer(),
  method: Type.String(),
  request_id: Type.String(),
  response: Type.Array(ProcessItem),
  metadata: Type.Object({
    total: Type.String({ description: 'A string, as Exotel documents it' }),
    count: Type.Integer(),
    offset: Type.Integer(),
    limit: Type.Integer(),
  }),
});

export const ExotelCampaignLeadsAnswer = Type.Object({
  http_code: Type.Integer(),
  method: Type.String(),
  request_id: Type.String(),
  response: Type.Array(
    Type.Object({
      http_code: Type.Integer(),
      error_data: Type.Null(),
      data: CampaignLead,
    }),
  ),
});
