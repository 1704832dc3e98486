import type { ContactCenter } from './db/schema.js';
import { ContactCentersRepository } from './repositories/contact-centers.repository.js';
import { createCampaign } from './services/campaigns/create-campaign.js';
import { assignCampaignUsers } from './services/campaigns/campaign-users.js';
import { createCenter } from './services/centers/create-center.js';
import { systemContext, type ServiceDeps } from './services/context.js';
import { createProcess } from './services/processes/manage-processes.js';
import { createQueue, setQueueMember } from './services/queues/manage-queues.js';
import { createUser } from './services/users/create-user.js';

export const DEMO_CENTER = 'demo';
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

/** Creates the demo center once; later starts find it and change nothing. */
export async function ensureDemoCenter(
  deps: ServiceDeps,
): Promise<{ center: ContactCenter; created: boolean }> {
  const existing = await new ContactCentersRepository(deps.db).findByShortName(DEMO_CENTER);
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
  const campaign = await createCampaign(deps, ctx, {
    name: 'Mumbai Sales Dept',
    description: 'Campaign related to Sales Management',
    processId: process.id,
    queueId: queue.id,
    dialingMode: 'predictive',
    callerId: '+912261234567',
  });
  await assignCampaignUsers(
    deps,
    ctx,
    campaign.uid,
    agents.map((a) => a.uid),
  );
  return { center, created: true };
}
