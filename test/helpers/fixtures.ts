import type { TestApp, SeededCenter } from './harness.js';
import { as } from './harness.js';

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
  return { process, queue, campaign, userId, apiKey };
}
