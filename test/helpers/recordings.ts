import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { parsePublicId } from '../../src/domain/public-ids.js';
import type { CallRecording } from '../../src/services/recordings/record-call.js';
import { tone } from '../../src/telephony/media/index.js';
import { as, type SeededCenter, type TestApp } from './harness.js';
import { withKey } from './row-keys.js';

export interface RecordedCall {
  campaign: { id: string; key: number };
  contact: { id: string; key: number; phone: string };
  callLogId: number;
  /** The call log's public id. */
  callId: string;
}

/** A campaign of the center with the recording mode given, and a connected call of its agent. */
export async function connectedCall(
  t: TestApp,
  center: SeededCenter,
  mode: 'all' | 'on_demand' | 'none',
): Promise<RecordedCall> {
  const admin = as(t, center.tokens.admin);
  const ok = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => {
    const res = await admin({ method, url, payload });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const created = await ok('POST', '/v1/campaigns', { name: `Recorded ${randomUUID().slice(0, 6)}` });
  const updated = await ok('PATCH', `/v1/campaigns/${created.id}`, { recording_mode: mode });
  assert.equal(updated.recording_mode, mode);
  const campaign = await withKey(t.deps.db, 'campaign', updated);
  const list = await withKey(
    t.deps.db,
    'leadList',
    await ok('POST', '/v1/lead-lists', { name: `L ${randomUUID()}` }),
  );
  await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
  await ok('POST', `/v1/campaigns/${campaign.id}/users`, {
    user_ids: [`usr_${center.agent.uid.replace(/-/g, '')}`],
  });
  const created_contact = await ok('POST', '/v1/contacts', {
    list_id: list.id,
    phone_number: `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  });
  const contactRow = await t.deps.db
    .selectFrom('contacts')
    .select(['id', 'phone_e164'])
    .where('uid', '=', parsePublicId('contact', created_contact.id)!)
    .executeTakeFirstOrThrow();
  const contact = { id: created_contact.id as string, key: contactRow.id, phone: contactRow.phone_e164 };
  const now = t.clock.now();
  const uid = randomUUID();
  const [log] = await t.deps.db
    .insertInto('call_logs')
    .values({
      uid,
      contact_center_id: center.center.id,
      campaign_id: campaign.key,
      lead_list_id: list.key,
      contact_id: contact.key,
      phone_e164: contact.phone,
      caller_id: null,
      dialing_mode: 'predictive',
      engine_owner: 'test',
      attempt: 1,
      agent_user_id: center.agent.id,
      status: 'connected',
      dialed_at: now,
      answered_at: now,
      connected_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .execute();
  return { campaign, contact, callLogId: log!.id, callId: `log_${uid.replace(/-/g, '')}` };
}

/** Feeds a recording `seconds` of both sides, 20 ms frames on a clock the test moves. */
export function talk(recording: CallRecording, clock: { ms: number }, seconds: number) {
  const customer = tone(1000, seconds * 1000).samples;
  const agent = tone(440, seconds * 1000).samples;
  for (let i = 0; i * 160 < customer.length; i++) {
    clock.ms += 20;
    const frame = (samples: Int16Array, ssrc: number) => ({
      codec: 'PCMU' as const,
      samples: samples.subarray(i * 160, (i + 1) * 160),
      sequenceNumber: i,
      timestamp: i * 160,
      ssrc,
      from: { address: '127.0.0.1', port: 4000 },
    });
    recording.customer(frame(customer, 1));
    recording.agent(frame(agent, 2));
  }
}
