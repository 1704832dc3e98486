// An engine process that dials on real time and kills itself (SIGKILL, no cleanup) once it has
// placed a given number of calls: the crash the engine must survive.
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config.js';
import { connectPglite, connectPostgres } from '../../../src/db/database.js';
import { Random } from '../../../src/engine/random.js';
import { RealTimeScheduler } from '../../../src/engine/scheduler.js';
import { scriptedCallees, SimulatedCarrier } from '../../../src/engine/simulated-carrier.js';
import { prepareRuntime } from '../../../src/runtime.js';
import { EngineHost } from '../../../src/services/engine/engine-host.js';

const killAfter = Number(process.env.KILL_AFTER_CALLS);
const handle = process.env.ENGINE_DATABASE_URL
  ? connectPostgres(process.env.ENGINE_DATABASE_URL, 3)
  : await connectPglite(process.env.ENGINE_DATA_DIR!);
const deps = await prepareRuntime(
  handle,
  loadConfig({ PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: process.env.ENGINE_DATA_DIR ?? '/tmp' }),
);
const scheduler = new RealTimeScheduler();
const carrier = new SimulatedCarrier(
  scheduler,
  new Random(3),
  scriptedCallees({}, { outcome: 'person', afterMs: 200, talkMs: 20_000 }),
);
const host = new EngineHost(deps, {
  scheduler,
  carrier,
  random: new Random(4),
  nodeId: 'doomed',
  tickMs: 100,
  leaseMs: 30_000,
  onError: (error) => console.error(error),
});
host.start();
setInterval(() => {
  void sql<{ n: number }>`select count(*)::int as n from call_logs where engine_owner = 'doomed'`
    .execute(handle.db)
    .then((r) => {
      if (r.rows[0]!.n >= killAfter) process.kill(process.pid, 'SIGKILL');
    });
}, 20);
setTimeout(() => {
  console.error('never got to place enough calls');
  process.exit(3);
}, 30_000);
