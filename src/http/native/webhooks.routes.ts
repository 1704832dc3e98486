import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events.js';
import type { ServiceDeps } from '../../services/context.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
} from '../../services/webhooks/manage-webhooks.js';
import { IdParams, Paged, PageQuery } from '../schemas/common.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveryParams,
  DeliveryResponse,
  UpdateWebhookBody,
  WEBHOOK_EVENT_SCHEMAS,
  WebhookEventTypeInfo,
  WebhookResponse,
} from '../schemas/webhooks.js';
import { authErrors, pageMeta, pageOf, uidParam } from './common.js';
import { presentDelivery, presentWebhook } from './presenters/webhooks.js';

/** Webhook subscriptions, their delivery log and redelivery (docs/webhooks.md). */
export const webhookRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['webhooks'];
    const security = [{ bearer: [] }];
    const config = { permission: 'webhooks:manage' as const };
    const webhookUid = (id: string) => uidParam('webhook', id, 'Webhook');

    app.get(
      '/webhooks/event-types',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'The event types a webhook can subscribe to, each with an example of what is sent',
          response: { 200: Type.Object({ data: Type.Array(WebhookEventTypeInfo) }), ...authErrors() },
        },
      },
      async () => ({
        data: WEBHOOK_EVENT_TYPES.map((type) => {
          const schema = WEBHOOK_EVENT_SCHEMAS[type];
          return { type, description: schema.description!, example: schema.examples[0] };
        }),
      }),
    );

    app.post(
      '/webhooks',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Subscribe a URL to events; the signing secret is in this answer only',
          body: CreateWebhookBody,
          response: { 201: CreatedWebhook, ...authErrors(400) },
        },
      },
      async (request, reply) => {
        const { subscription, secret } = await createWebhook(deps, request.ctx, {
          url: request.body.url,
          eventTypes: request.body.event_types,
          ...(request.body.description !== undefined ? { description: request.body.description } : {}),
        });
        return reply.status(201).send({ ...presentWebhook(subscription), secret });
      },
    );

    app.get(
      '/webhooks',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'List webhooks (never their secrets)',
          querystring: Type.Object(PageQuery),
          response: { 200: Paged(WebhookResponse), ...authErrors(400) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listWebhooks(deps, request.ctx, page);
        return { data: result.rows.map(presentWebhook), meta: pageMeta(page, result.total) };
      },
    );

    app.get(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Get a webhook',
          params: IdParams,
          response: { 200: WebhookResponse, ...authErrors(404) },
        },
      },
      async (request) => presentWebhook(await getWebhook(deps, request.ctx, webhookUid(request.params.id))),
    );

    app.patch(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Change a webhook; enabling a disabled one sends its backlog',
          params: IdParams,
          body: UpdateWebhookBody,
          response: { 200: WebhookResponse, ...authErrors(400, 404, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        return presentWebhook(
          await updateWebhook(deps, request.ctx, webhookUid(request.params.id), {
            ...(b.url !== undefined ? { url: b.url } : {}),
            ...(b.event_types !== undefined ? { eventTypes: b.event_types } : {}),
            ...(b.description !== undefined ? { description: b.description } : {}),
            ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
            ...(b.version !== undefined ? { version: b.version } : {}),
          }),
        );
      },
    );

    app.delete(
      '/webhooks/:id',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Delete a webhook with its backlog and delivery log',
          params: IdParams,
          response: { 200: WebhookResponse, ...authErrors(404) },
        },
      },
      async (request) =>
        presentWebhook(await deleteWebhook(deps, request.ctx, webhookUid(request.params.id))),
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        config,
        schema: {
          tags,
          security,
          summary: "The webhook's delivery log, newest event first: each delivery with its attempts",
          params: IdParams,
          querystring: DeliveriesQuery,
          response: { 200: Paged(DeliveryResponse), ...authErrors(400, 404) },
        },
      },
      async (request) => {
        const page = pageOf(request.query);
        const result = await listDeliveries(
          deps,
          request.ctx,
          webhookUid(request.params.id),
          request.query.state ? { state: request.query.state } : {},
          page,
        );
        return { data: result.rows.map(presentDelivery), meta: pageMeta(page, result.total) };
      },
    );

    app.post(
      '/webhooks/:id/deliveries/:event_id/redeliver',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Send one event to the webhook again, now',
          params: DeliveryParams,
          response: { 200: DeliveryResponse, ...authErrors(404, 409) },
        },
      },
      async (request) =>
        presentDelivery(
          await redeliver(
            deps,
            request.ctx,
            webhookUid(request.params.id),
            uidParam('webhookEvent', request.params.event_id, 'Delivery'),
          ),
        ),
    );
  };
