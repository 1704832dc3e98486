import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServiceDeps } from '../../services/context.js';
import { getCenter, updateCenter } from '../../services/centers/update-center.js';
import { authErrors } from './common.js';
import { CenterResponse, UpdateCenterBody } from '../schemas/center.js';
import { presentCenter } from './presenters/center.js';

export const centerRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/contact-center',
      {
        config: { permission: 'center:read' },
        schema: {
          tags: ['contact center'],
          summary: 'The contact center the credentials belong to',
          security: [{ bearer: [] }],
          response: { 200: CenterResponse, ...authErrors() },
        },
      },
      async (request) => presentCenter(await getCenter(deps, request.ctx)),
    );

    app.patch(
      '/contact-center',
      {
        config: { permission: 'center:write' },
        schema: {
          tags: ['contact center'],
          summary: "Change the center's name, default country or time zone",
          security: [{ bearer: [] }],
          body: UpdateCenterBody,
          response: { 200: CenterResponse, ...authErrors(400, 409) },
        },
      },
      async (request) => {
        const b = request.body;
        return presentCenter(
          await updateCenter(deps, request.ctx, {
            name: b.name,
            defaultCountry: b.default_country,
            timeZone: b.time_zone,
            recordingRetentionDays: b.recording_retention_days,
            version: b.version,
          }),
        );
      },
    );
  };
