import type { ContactCenter } from '../../db/schema.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';

/** The center an operator names on the command line (its short name, any case). */
export function findCenterByShortName(
  deps: ServiceDeps,
  shortName: string,
): Promise<ContactCenter | undefined> {
  return sharedRepositories(deps.db).contactCenters.findByShortName(shortName);
}
