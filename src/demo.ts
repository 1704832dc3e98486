import { sharedRepositories } from './repositories/index.js';
import type { ContactCenter } from './db/schema.js';
import { createCampaign } from './services/campaigns/create-campaign.js';
import { assignCampaignUsers } from './services/campaigns/campaign-users.js';
import { createCenter } from './services/centers/create-center.js';
import { systemContext, type ServiceDeps } from './services/context.js';
import { createProcess } from './services/processes/manage-processes.js';
import { createQueue, setQueueMember } from './services/queues/manage-queues.js';
import { createUser } from './services/users/create-user.js';
import { changeCampaignStatus } from './services/campaigns/update-campaign.js';
import { createContacts } from './services/contacts/create-contacts.js';
import type { RequestContext } from './services/context.js';
import { attachLeadList } from './services/lead-lists/campaign-lead-lists.js';
import { createLeadList } from './services/lead-lists/manage-lead-lists.js';

export const DEMO_CENTER = 'demo';
export const DEMO_CAMPAIGN = 'Mumbai Sales Dept';
export const DEMO_LIST = 'Mumbai leads';
/** Demo credentials are printed at start and documented: the demo is for trying Outdial, not for production. */
export const DEMO_USERS = [
  { username: 'admin', password: 'demo-admin-pass', role: 'admin' as const, fullName: 'Demo Admin' },
  {
    username: 'supervisor',
    password: 'demo-supervisor-pass',
    role: 'supervisor' as const,
    fullName: 'Sam Supervisor',
  },
  {
    username: 'agent1',
    password: 'demo-agent-pass',
    role: 'agent' as const,
    fullName: 'Asha Agent',
    extension: '1001',
  },
  {
    username: 'agent2',
    password: 'demo-agent-pass',
    role: 'agent' as const,
    fullName: 'Ben Agent',
    extension: '1002',
  },
  {
    username: 'agent3',
    password: 'demo-agent-pass',
    role: 'agent' as const,
    fullName: 'Chen Agent',
    extension: '1003',
  },
];

/** Simulated agents who work the demo campaign (the human demo agents are free to log in to the desk). */
export const DEMO_BOTS = ['bot1', 'bot2', 'bot3', 'bot4', 'bot5', 'bot6'];

const FIRST = ['Aarav', 'Diya', 'Kabir', 'Meera', 'Rohan', 'Saanvi', 'Vihaan', 'Anaya', 'Ishaan', 'Zara'];
const LAST = ['Sharma', 'Patel', 'Iyer', 'Khan', 'Reddy', 'Mehta', 'Nair', 'Gupta', 'Das', 'Joshi'];
const PLANS = ['Silver', 'Gold', 'Platinum'];

/** Adds generated Mumbai leads to the demo list: national numbers, names and a few variables. */
export async function addDemoLeads(
  deps: ServiceDeps,
  ctx: RequestContext,
  listUid: string,
  count: number,
  offset: number,
): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    return {
      phone: `98${String(20000000 + ((n * 7919) % 80000000)).padStart(8, '0')}`,
      first_name: FIRST[n % FIRST.length]!,
      last_name: LAST[Math.floor(n / FIRST.length) % LAST.length]!,
      variables: { plan: PLANS[n % PLANS.length]!, renewal_month: String((n % 12) + 1) },
    };
  });
  await createContacts(deps, ctx, { leadListUid: listUid }, items, { policy: 'skip', scope: 'list' });
}

/** Creates the demo center once; later starts find it and change nothing. */
export async function ensureDemoCenter(
  deps: ServiceDeps,
): Promise<{ center: ContactCenter; created: boolean }> {
  const existing = await sharedRepositories(deps.db).contactCenters.findByShortName(DEMO_CENTER);
  if (existing) return { center: existing, created: false };
  const [admin, ...others] = DEMO_USERS;
  const { center } = await createCenter(deps, {
    shortName: DEMO_CENTER,
    name: 'Demo Contact Center',
    defaultCountry: 'IN',
    timeZone: 'Asia/Kolkata',
    admin: { username: admin!.username, password: admin!.password, fullName: admin!.fullName },
  });
  const ctx = systemContext(center.id, 'demo');
  const users = [];
  for (const u of others) {
    users.push(
      await createUser(deps, ctx, {
        username: u.username,
        password: u.password,
        role: u.role,
        fullName: u.fullName,
        extension: u.extension ?? null,
      }),
    );
  }
  const queue = await createQueue(deps, ctx, { name: 'Sales', extension: '5586', strategy: 'longest_idle' });
  const agents = users.filter((u) => u.role === 'agent');
  for (const agent of agents) await setQueueMember(deps, ctx, queue.uid, agent.uid, { timeoutSeconds: 15 });
  const process = await createProcess(deps, ctx, { name: 'Sales', description: 'Outbound sales' });
  const bots = [];
  for (const name of DEMO_BOTS) {
    const bot = await createUser(deps, ctx, {
      username: name,
      password: deps.ids.secret(24),
      role: 'agent',
      fullName: `Simulated ${name}`,
      extension: String(1100 + bots.length),
    });
    await setQueueMember(deps, ctx, queue.uid, bot.uid, { timeoutSeconds: 15 });
    bots.push(bot);
  }
  const campaign = await createCampaign(deps, ctx, {
    name: DEMO_CAMPAIGN,
    description: 'Campaign related to Sales Management',
    processId: process.id,
    queueId: queue.id,
    dialingMode: 'predictive',
    callerId: '+912261234567',
    wrapUpSeconds: 30,
    // A demo on a simulated carrier dials at any hour, so it can be watched whenever it runs.
    callingHours: { start: '00:00', end: '23:59' },
  });
  await assignCampaignUsers(
    deps,
    ctx,
    campaign.uid,
    [...agents, ...bots].map((a) => a.uid),
  );
  const list = await createLeadList(deps, ctx, { name: DEMO_LIST });
  await attachLeadList(deps, ctx, campaign.uid, list.uid, { maxAttempts: 3 });
  await addDemoLeads(deps, ctx, list.uid, 400, 0);
  await changeCampaignStatus(deps, ctx, campaign.uid, 'start');
  return { center, created: true };
}
