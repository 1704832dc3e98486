import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { systemContext } from '../../../src/services/context.js';
import {
  as,
  readWriteKey,
  seedCenter,
  startTestApp,
  type SeededCenter,
  type TestApp,
} from '../../helpers/harness.js';
import { withKey } from '../../helpers/row-keys.js';

/**
 * What the hopper tests stand on: a test app with its clock at `at`, the center acme and a
 * read-write API key, made before the enclosing suite and closed after it; and the API calls that
 * set up their campaigns, lists and contacts. Call it inside `describe`.
 */
export function hopperBed(at: string) {
  let t: TestApp;
  let acme: SeededCenter;
  let key: string;
  before(async () => {
    t = await startTestApp();
    t.clock.set(at);
    acme = await seedCenter(t, 'acme');
    key = await readWriteKey(t, acme);
  });
  after(() => t.close());

  const api = () => as(t, key);
  const bed = {
    get t() {
      return t;
    },
    get acme() {
      return acme;
    },
    api,
    ctx: () => systemContext(acme.center.id),

    /** A running campaign. */
    async campaign(name: string, settings: object = {}) {
      const res = await api()({
        method: 'POST',
        url: '/v1/campaigns',
        payload: { name, status: 'active', ...settings },
      });
      assert.equal(res.statusCode, 201, res.body);
      return withKey(t.deps.db, 'campaign', res.json());
    },

    /** A new lead list, attached to the campaign with `mapping`. */
    async attachNewList(campaignId: string, name: string, mapping: object = { priority: 1 }) {
      const list = (await api()({ method: 'POST', url: '/v1/lead-lists', payload: { name } })).json();
      const res = await api()({
        method: 'PUT',
        url: `/v1/campaigns/${campaignId}/lead-lists/${list.id}`,
        payload: mapping,
      });
      assert.equal(res.statusCode, 200, res.body);
      return withKey(t.deps.db, 'leadList', list);
    },

    /** A running campaign with one list of priority 1. */
    async campaignWithList(name: string, settings: object = {}) {
      const campaign = await bed.campaign(name, settings);
      return { campaign, list: await bed.attachNewList(campaign.id, name) };
    },

    async contact(listId: string, phone: string, extra: object = {}) {
      const res = await api()({
        method: 'POST',
        url: '/v1/contacts',
        payload: { list_id: listId, phone_number: phone, ...extra },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    },

    /** The contact's eligibility answer for the campaign. */
    async eligibility(contactId: string, campaignId: string) {
      const res = await api()({
        method: 'GET',
        url: `/v1/contacts/${contactId}/eligibility?campaign_id=${campaignId}`,
      });
      return res.json();
    },
  };
  return bed;
}
