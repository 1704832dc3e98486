import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import { invalid } from '../../domain/errors.js';
import type { ServiceDeps } from '../../services/context.js';
import {
  deleteCampaignMessage,
  getCampaignMessage,
  putCampaignMessage,
} from '../../services/campaigns/campaign-message.js';
import {
  MAX_MESSAGE_BYTES,
  MAX_MESSAGE_MS,
  MESSAGE_SAMPLE_RATES,
} from '../../services/campaigns/message-audio.js';
import {
  deleteRecordingAnnouncement,
  describeRecordingAnnouncement,
  getRecordingAnnouncement,
  putRecordingAnnouncement,
} from '../../services/campaigns/recording-announcement.js';
import { acceptMultipart, receiveUpload, type FileSink } from '../upload.js';
import { authErrors, uidParam } from './common.js';
import { BinaryAnswer, IdParams } from '../schemas/common.js';
import { CampaignMessageResponse } from '../schemas/campaign-messages.js';
import { presentMessage } from './presenters/campaign-messages.js';

const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave'];

/** A message file is small: held in memory as it streams in (busboy stops it at the size limit). */
const memorySink: FileSink<Uint8Array> = {
  async store(stream: Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  discard: () => Promise.resolve(),
};

const tooLarge = Type.Ref('NativeError');

/** A campaign's recorded message: upload (multipart or a WAV body), download, delete. */
export const campaignMessageRoutes =
  (deps: ServiceDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    acceptMultipart(app);
    app.addContentTypeParser(
      WAV_TYPES,
      { parseAs: 'buffer', bodyLimit: MAX_MESSAGE_BYTES },
      (_request, body, done) => done(null, body),
    );
    const tags = ['campaigns'];
    const security = [{ bearer: [] }];
    const id = (raw: string) => uidParam('campaign', raw, 'Campaign');

    const receiveWav = async (
      request: FastifyRequest,
      reply: FastifyReply,
      fallbackName: string,
    ): Promise<{ fileName: string; bytes: Uint8Array }> => {
      if (Buffer.isBuffer(request.body)) return { fileName: fallbackName, bytes: request.body };
      if (/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
        const { file } = await receiveUpload(
          request,
          reply,
          { fileBytes: MAX_MESSAGE_BYTES, fields: 5, idleMs: deps.uploadIdleTimeoutMs },
          memorySink,
        );
        return { fileName: file.name, bytes: file.stored };
      }
      throw invalid('Send a WAV file', [
        'content-type must be audio/wav (the file as the body) or multipart/form-data (the file in "file")',
      ]);
    };

    app.put(
      '/campaigns/:id/recording-announcement',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary:
            'Upload or replace the announcement played before a recorded call ("this call may be recorded")',
          description:
            'The same file rules as the campaign message: WAV as the body (`Content-Type: audio/wav`) or multipart/form-data ' +
            `(the file in \`file\`); mono; 16-bit PCM, µ-law or A-law; resampled to 8000 Hz; 0.2 s to ${MAX_MESSAGE_MS / 1000} s; ` +
            `at most ${MAX_MESSAGE_BYTES} bytes (413 beyond). docs/recordings.md.`,
          consumes: ['audio/wav', 'multipart/form-data'],
          params: IdParams,
          response: { 200: CampaignMessageResponse, 413: tooLarge, ...authErrors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const campaignUid = id(request.params.id);
        const upload = await receiveWav(request, reply, 'announcement.wav');
        const stored = await putRecordingAnnouncement(deps, request.ctx, campaignUid, upload);
        return {
          ...presentMessage(stored),
          audio_url: `/v1/campaigns/${request.params.id}/recording-announcement`,
        };
      },
    );

    app.get(
      '/campaigns/:id/recording-announcement',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: "The campaign's recording announcement, as played (8 kHz 16-bit mono WAV)",
          description: '404 when the campaign has none.',
          params: IdParams,
          response: {
            200: BinaryAnswer('The announcement, 8 kHz 16-bit mono WAV', 'audio/wav'),
            ...authErrors(404),
          },
        },
      },
      async (request, reply) => {
        const { info, wav } = await getRecordingAnnouncement(deps, request.ctx, id(request.params.id));
        return reply
          .type('audio/wav')
          .header('etag', `"a${info.id}-${info.version}"`)
          .header('content-disposition', `attachment; filename="recording-announcement.wav"`)
          .send(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) as never);
      },
    );

    app.get(
      '/campaigns/:id/recording-announcement/metadata',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: "The campaign's recording announcement described: file name, length, version",
          description: '404 when the campaign has none. The audio itself: `audio_url`.',
          params: IdParams,
          response: { 200: CampaignMessageResponse, ...authErrors(404) },
        },
      },
      async (request) => ({
        ...presentMessage(await describeRecordingAnnouncement(deps, request.ctx, id(request.params.id))),
        audio_url: `/v1/campaigns/${request.params.id}/recording-announcement`,
      }),
    );

    app.delete(
      '/campaigns/:id/recording-announcement',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: "Remove the campaign's recording announcement",
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404) },
        },
      },
      async (request, reply) => {
        await deleteRecordingAnnouncement(deps, request.ctx, id(request.params.id));
        return reply.status(204).send(null);
      },
    );

    app.put(
      '/campaigns/:id/message',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: "Upload or replace the campaign's recorded message (a WAV file)",
          description:
            'The body is the WAV file itself (`Content-Type: audio/wav`) or multipart/form-data with the file in `file`. ' +
            `Mono; 16-bit PCM, µ-law or A-law; ${MESSAGE_SAMPLE_RATES.join(', ')} Hz (resampled to 8000 Hz); ` +
            `0.2 s to ${MAX_MESSAGE_MS / 1000} s; at most ${MAX_MESSAGE_BYTES} bytes (413 beyond). ` +
            'Agentless campaigns play it to every answered callee; campaigns whose machine_action is play_message play it to machines. ' +
            'With the SIP carrier an agentless campaign cannot start without one (409).',
          consumes: ['audio/wav', 'multipart/form-data'],
          params: IdParams,
          response: { 200: CampaignMessageResponse, 413: tooLarge, ...authErrors(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const campaignUid = id(request.params.id);
        const upload = await receiveWav(request, reply, 'message.wav');
        return presentMessage(await putCampaignMessage(deps, request.ctx, campaignUid, upload));
      },
    );

    app.get(
      '/campaigns/:id/message',
      {
        config: { permission: 'campaigns:read' },
        schema: {
          tags,
          security,
          summary: "The campaign's recorded message, as played (8 kHz 16-bit mono WAV)",
          description: 'ETag and `x-message-version` name the version; 404 when the campaign has no message.',
          params: IdParams,
          response: {
            200: BinaryAnswer('The recording, 8 kHz 16-bit mono WAV', 'audio/wav'),
            ...authErrors(404),
          },
        },
      },
      async (request, reply) => {
        const { info, wav } = await getCampaignMessage(deps, request.ctx, id(request.params.id));
        return reply
          .type('audio/wav')
          .header('etag', `"${info.id}-${info.version}"`)
          .header('x-message-version', String(info.version))
          .header('content-disposition', `attachment; filename="campaign-message.wav"`)
          .send(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength) as never);
      },
    );

    app.delete(
      '/campaigns/:id/message',
      {
        config: { permission: 'campaigns:write' },
        schema: {
          tags,
          security,
          summary: "Remove the campaign's recorded message",
          description:
            'With the SIP carrier, 409 while the campaign is agentless and running or paused (stop it first).',
          params: IdParams,
          response: { 204: Type.Null(), ...authErrors(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteCampaignMessage(deps, request.ctx, id(request.params.id));
        return reply.status(204).send(null);
      },
    );
  };
