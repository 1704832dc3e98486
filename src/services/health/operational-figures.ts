import type { OperationalFigures } from '../../repositories/metrics.repository.js';
import { sharedRepositories } from '../../repositories/index.js';
import type { ServiceDeps } from '../context.js';

export type { OperationalFigures };

/** The dialer's and the jobs' figures for /metrics, across every center (see the repository). */
export function readOperationalFigures(
  deps: ServiceDeps,
  engineLeaseMs: number,
): Promise<OperationalFigures> {
  return sharedRepositories(deps.db).operationalFigures(deps.clock.now(), engineLeaseMs);
}
