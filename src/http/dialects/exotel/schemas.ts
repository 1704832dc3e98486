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
  {
    ...named('ExotelProcess'),
    examples: [
      {
        processId: 1,
        processName: 'Sales',
        contactCenterId: 1,
        processType: 'Default',
        description: '',
        dialingStateLevel: 'process',
        dateAdded: '2025-09-10T06:49:57.192+00:00',
        dateModified: '2026-03-23T10:43:01.523+00:00',
      },
    ],
  },
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
  {
    ...named('ExotelCampaign'),
    examples: [
      {
        campaignContextId: 1,
        campaignContextName: 'Mumbai Sales Dept',
        campaignContextType: 'Interaction Campaign',
        contactCenterId: 1,
        processId: 1,
        description: 'Campaign related to Sales Management',
        dateAdded: '2026-03-24T12:28:52.354Z',
        dateModified: '2026-03-24T12:28:52.354Z',
        ref: 0,
        version: 0,
      },
    ],
  },
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
  {
    ...named('ExotelCampaignLead'),
    examples: [
      {
        id: 1,
        campaignContextId: 1,
        leadId: 2,
        priority: 1,
        weightage: 1,
        enabled: true,
        maxAttempt: 10,
        churnCount: 0,
        fetchOrderDetails: [],
        leadDialingConfigurationEnabled: true,
        leadDialingEnabledAtAllTime: true,
        campaignLeadDialingConfigurations: [],
        campaignLeadUserMappings: [
          { id: 29, campaignLeadId: 1, campaignUserId: 1 },
          { id: 30, campaignLeadId: 1, campaignUserId: 3817 },
          { id: 31, campaignLeadId: 1, campaignUserId: 3802 },
        ],
        dateAdded: '2025-09-10T06:49:57.192+00:00',
        dateModified: '2026-03-23T10:43:01.523+00:00',
        ref: 1,
        version: 22,
      },
    ],
  },
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
  {
    ...named('ExotelLeadUserMapping'),
    examples: [
      {
        campaignLeadId: 1,
        assignedCampaignUserIds: [1],
        unassignedCampaignUserIds: [3817, 3802],
        leadId: 2,
        campaignId: 1,
        assignedUserIds: ['anav_agent'],
        unassignedUserIds: ['madhur1', 'exe_gs'],
      },
    ],
  },
);

export const BasicAuthBody = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 1 }),
    context: Type.Literal('ContactCenter'),
    contextId: RowIdText({ description: 'The contact center id' }),
    dateExpiry: Type.Optional(Type.String()),
    userRole: Type.Optional(Type.String()),
  },
  {
    examples: [{ username: 'admin', password: 'demo-admin-pass', context: 'ContactCenter', contextId: '1' }],
  },
);

export const LeadUserMappingBody = Type.Object(
  {
    leadId: RowId(),
    campaignId: RowId(),
    assignedUserIds: Type.Array(Type.String({ minLength: 1 }), { maxItems: 500, default: [] }),
    unassignedUserIds: Type.Array(Type.String({ minLength: 1 }), { maxItems: 500, default: [] }),
  },
  {
    examples: [
      { leadId: 2, campaignId: 1, assignedUserIds: ['anav_agent'], unassignedUserIds: ['exe_gs', 'madhur1'] },
    ],
  },
);

export const ExotelTokenAnswer = Type.Object(
  {
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
  },
  {
    examples: [
      {
        request_id: 'a7f1e14d-4bc1-4d37-9d82-6e7443eb5c6c',
        method: 'POST',
        http_code: 200,
        response: {
          code: 200,
          status: 'success',
          data: { access_token: 'token', token_type: 'Bearer', expires_in: 86400 },
        },
      },
    ],
  },
);

export const ExotelProcessesAnswer = Type.Object(
  {
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
  },
  {
    examples: [
      {
        http_code: 200,
        method: 'GET',
        request_id: 'a7f1e14d-4bc1-4d37-9d82-6e7443eb5c6c',
        response: [
          {
            processId: 1,
            processName: 'Sales',
            contactCenterId: 1,
            processType: 'Default',
            description: '',
            dialingStateLevel: 'process',
            dateAdded: '2025-09-10T06:49:57.192+00:00',
            dateModified: '2026-03-23T10:43:01.523+00:00',
          },
        ],
        metadata: { total: '1', count: 1, offset: 0, limit: 2 },
      },
    ],
  },
);

export const ExotelCampaignLeadsAnswer = Type.Object(
  {
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
  },
  {
    examples: [
      {
        http_code: 200,
        method: 'GET',
        request_id: 'a7f1e14d-4bc1-4d37-9d82-6e7443eb5c6c',
        response: [
          {
            http_code: 200,
            error_data: null,
            data: {
              id: 1,
              campaignContextId: 1,
              leadId: 2,
              priority: 1,
              weightage: 1,
              enabled: true,
              maxAttempt: 10,
              churnCount: 0,
              fetchOrderDetails: [],
              leadDialingConfigurationEnabled: true,
              leadDialingEnabledAtAllTime: true,
              campaignLeadDialingConfigurations: [],
              campaignLeadUserMappings: [
                { id: 29, campaignLeadId: 1, campaignUserId: 1 },
                { id: 30, campaignLeadId: 1, campaignUserId: 3817 },
                { id: 31, campaignLeadId: 1, campaignUserId: 3802 },
              ],
              dateAdded: '2025-09-10T06:49:57.192+00:00',
              dateModified: '2026-03-23T10:43:01.523+00:00',
              ref: 1,
              version: 22,
            },
          },
        ],
      },
    ],
  },
);
