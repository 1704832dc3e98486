import type { Process } from '../../db/schema.js';
import { conflict } from '../../domain/errors.js';
import { toPublicId } from '../../domain/public-ids.js';
import type { ProcessFilters, ProcessSort } from '../../repositories/processes.repository.js';
import type { Page, PageRequest } from '../../repositories/versioned-repository.js';
import { inTenantTransaction, tenantReader, type RequestContext, type ServiceDeps } from '../context.js';

export interface ProcessInput {
  name?: string;
  description?: string;
  processType?: string;
  dialingStateLevel?: string;
  version?: number;
}

const entityId = (p: Process) => toPublicId('process', p.uid);

export function createProcess(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: ProcessInput & { name: string },
): Promise<Process> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const process = await repos.processes
      .insert({
        uid: deps.ids.uuid(),
        name: input.name,
        description: input.description ?? '',
        process_type: input.processType ?? 'Default',
        dialing_state_level: input.dialingStateLevel ?? 'process',
        created_at: now,
        updated_at: now,
      })
      .catch(rethrowDuplicateName(input.name));
    await audit('process.create', 'process', entityId(process), null, process);
    return process;
  });
}

export function updateProcess(
  deps: ServiceDeps,
  ctx: RequestContext,
  uid: string,
  input: ProcessInput,
): Promise<Process> {
  return inTenantTransaction(deps, ctx, async ({ repos, now, audit }) => {
    const current = await repos.processes.getByUid(uid);
    const patch: Partial<Process> = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.description !== undefined) patch.description = input.description;
    if (input.processType !== undefined) patch.process_type = input.processType;
    if (input.dialingStateLevel !== undefined) patch.dialing_state_level = input.dialingStateLevel;
    const { before, after } = await repos.processes
      .update(current.id, patch, now, input.version)
      .catch(rethrowDuplicateName(input.name ?? ''));
    await audit('process.update', 'process', entityId(after), before, after);
    return after;
  });
}

export function deleteProcess(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<void> {
  return inTenantTransaction(deps, ctx, async ({ repos, audit }) => {
    const current = await repos.processes.getByUid(uid);
    if (current.is_default) throw conflict('The default process cannot be deleted');
    if ((await repos.processes.countCampaigns(current.id)) > 0)
      throw conflict('The process still has campaigns');
    await repos.processes.deleteById(current.id);
    await audit('process.delete', 'process', entityId(current), current, null);
  });
}

export function getProcess(deps: ServiceDeps, ctx: RequestContext, uid: string): Promise<Process> {
  return tenantReader(deps, ctx).processes.getByUid(uid);
}

export function listProcesses(
  deps: ServiceDeps,
  ctx: RequestContext,
  filters: ProcessFilters,
  page: PageRequest,
  sort?: ProcessSort,
): Promise<Page<Process>> {
  return tenantReader(deps, ctx).processes.list(filters, page, sort);
}

function rethrowDuplicateName(name: string) {
  return (error: unknown): never => {
    if ((error as { code?: string }).code === '23505') throw conflict(`A process named ${name} exists`);
    throw error;
  };
}
