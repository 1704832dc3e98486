import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ContactCenter } from '../../db/schema.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ServiceDeps } from '../../services/context.js';
import { getCenter, updateCenter } from '../../services/centers/update-center.js';
import { authErrors, iso, Timestamp, VersionField } from './common.js';
import { named } from '../schemas/components.js';

export const CenterResponse = Type.Object(
  {
    id: Type.String({ examples: ['ctr_0f8fad5bd9cb469fa16570867728950e'] }),
    numeric_id: Type.Integer({ description: "Exotel's contactCenterId" }),
    short_name: Type.String({ description: "Login domain (Qvoice's `domain`)" }),
    name: Type.String(),
    default_country: Type.String({ description: 'ISO 3166 country for national numbers' }),
    time_zone: Type.String(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  named('ContactCenter'),
);

export function presentCenter(c: ContactCenter) {
  return {
    id: toPublicId('contactCenter', c.uid),
    numeric_id: c.public_number,
    short_name: c.short_name,
    name: c.name,
    default_country: c.default_country,
    time_zone: c.time_zone,
    version: c.version,
    created_at: iso(c.created_at)!,
    updated_at: iso(c.updated_at)!,
  };
}

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
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1 })),
              default_country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
              time_zone: Type.Optional(Type.String({ minLength: 1 })),
              version: Type.Optional(VersionField),
            },
            { additionalProperties: false },
          ),
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
            version: b.version,
          }),
        );
      },
    );
  };
