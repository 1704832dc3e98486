import type { TestApp, SeededCenter } from './harness.js';
import { as } from './harness.js';
import { multipart } from './multipart.js';
import { withKey } from './row-keys.js';
import { systemContext } from '../../src/services/context.js';
import { claimContacts } from '../../src/services/engine/claim-contacts.js';
import { finishCall } from '../../src/services/engine/finish-call.js';
import { openCall } from '../../src/services/engine/open-call.js';
import { getCampaignById } from '../../src/services/campaigns/read-campaigns.js';

let made = 0;

/** Creates, through the native API as the center's admin, one of each foundation object (fresh names each call). */
export async function foundationObjects(t: TestApp, center: SeededCenter) {
  made += 1;
  const admin = as(t, center.tokens.admin);
  const ok = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await admin({ method, url, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const process = await ok('POST', '/v1/processes', { name: `Collections ${made}` });
  const queue = await ok('POST', '/v1/queues', { name: `Main ${made}`, extension: '5586' });
  await ok('PUT', `/v1/queues/${queue.id}/members/usr_${center.agent.uid.replace(/-/g, '')}`, {
    timeout_seconds: 20,
  });
  const campaign = await ok('POST', '/v1/campaigns', {
    name: 'Renewals',
    process_id: process.id,
    queue_id: queue.id,
  });
  const userId = `usr_${center.agent.uid.replace(/-/g, '')}`;
  await ok('POST', `/v1/campaigns/${campaign.id}/users`, { user_ids: [userId] });
  const apiKey = await ok('POST', '/v1/api-keys', { name: 'crm', scope: 'read_write' });
  const list = await ok('POST', '/v1/lead-lists', { name: `List ${made}` });
  await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, { priority: 1 });
  const contact = await ok('POST', '/v1/contacts', {
    list_id: list.id,
    campaign_id: campaign.id,
    phone_number: '+919876543210',
  });
  const dnc = await admin({
    method: 'POST',
    url: '/v1/dnc',
    payload: { phone_number: `+9197000${String(made).padStart(5, '0')}` },
  });
  const dncEntry = (
    await admin({ method: 'GET', url: `/v1/dnc/check?phone=${encodeURIComponent(dnc.json().phone_number)}` })
  ).json().entries[0];
  const upload = await admin({
    method: 'POST',
    url: '/v1/imports',
    ...multipart({ list_id: list.id }, { name: 'few.csv', content: 'phone\n9876543211\n' }),
  });
  if (upload.statusCode !== 202) throw new Error(`import: ${upload.body}`);
  return { process, queue, campaign, userId, apiKey, list, contact, dncEntry, importJob: upload.json() };
}

/**
 * Objects the engine makes, through its own services: a running campaign with a contact that was
 * called once (its call log and history), and the center's agent logged in to it (an agent session).
 */
export async function engineObjects(t: TestApp, center: SeededCenter) {
  const admin = as(t, center.tokens.admin);
  const ok = async (method: 'POST' | 'PUT', url: string, payload: object) => {
    const res = await admin({ method, url, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const campaign = await withKey(
    t.deps.db,
    'campaign',
    await ok('POST', '/v1/campaigns', {
      name: 'Engine fixture',
      status: 'active',
      calling_hours: { start: '00:00', end: '23:59' },
    }),
  );
  const list = await ok('POST', '/v1/lead-lists', { name: 'Engine fixture list' });
  await ok('PUT', `/v1/campaigns/${campaign.id}/lead-lists/${list.id}`, {});
  const contact = await ok('POST', '/v1/contacts', { list_id: list.id, phone_number: '+919812300000' });
  await ok('POST', `/v1/campaigns/${campaign.id}/users`, {
    user_ids: [`usr_${center.agent.uid.replace(/-/g, '')}`],
  });
  const desk = await as(
    t,
    center.tokens.agent,
  )({
    method: 'POST',
    url: '/v1/desk/login',
    payload: { campaign_id: campaign.id },
  });
  if (desk.statusCode !== 200) throw new Error(`desk login: ${desk.body}`);
  const ctx = systemContext(center.center.id, 'fixture');
  const [claimed] = await claimContacts(t.deps, ctx, campaign.key, 1, {
    owner: 'fixture',
    leaseMs: 60_000,
    random: () => 0.5,
  });
  if (!claimed) throw new Error('the fixture contact could not be claimed');
  const fullCampaign = await getCampaignById(t.deps, ctx, campaign.key);
  const opened = await openCall(t.deps, ctx, {
    callUid: t.deps.ids.uuid(),
    contactId: claimed.id,
    campaign: fullCampaign,
    mode: 'predictive',
    owner: 'fixture',
    agentUserId: null,
  });
  const log = await finishCall(t.deps, ctx, {
    callLogId: opened!.callLogId,
    contactId: claimed.id,
    campaign: fullCampaign,
    owner: 'fixture',
    outcome: 'no_answer',
  });
  return {
    campaign,
    list,
    contact,
    agentSessionId: desk.json().session.id as string,
    callLogId: `log_${log!.uid.replace(/-/g, '')}`,
  };
}
