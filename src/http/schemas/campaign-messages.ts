import { Type } from '@sinclair/typebox';
import { Timestamp } from './common.js';
import { named } from './components.js';

export const CampaignMessageResponse = Type.Object(
  {
    campaign_id: Type.String(),
    file_name: Type.String(),
    duration_ms: Type.Integer(),
    byte_size: Type.Integer({ description: 'Of the stored (normalised) WAV' }),
    sample_rate: Type.Integer({ description: 'Always 8000: what callees hear' }),
    version: Type.Integer({ description: 'Grows by one each time the message is replaced' }),
    audio_url: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  {
    ...named('CampaignMessage'),
    examples: [
      {
        campaign_id: 'cmp_210ea5d942f41744f1ef37e84a4965e0',
        file_name: 'press-one-offer.wav',
        duration_ms: 12400,
        byte_size: 198444,
        sample_rate: 8000,
        version: 1,
        audio_url: '/v1/campaigns/cmp_210ea5d942f41744f1ef37e84a4965e0/message',
        created_at: '2026-12-06T18:47:50.689Z',
        updated_at: '2026-12-06T18:47:50.689Z',
      },
    ],
  },
);
