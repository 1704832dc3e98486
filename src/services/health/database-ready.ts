import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';

/** Whether the database answers a query now (the readiness probe). */
export async function databaseReady(deps: ServiceDeps): Promise<boolean> {
  try {
    await sharedRepositories(deps.db).ping();
    return true;
  } catch {
    return false;
  }
}
