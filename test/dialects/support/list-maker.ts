// A process of its own that creates lead lists in one center, all at once, on the database named
// by NUMBERS_DATABASE_URL: several of these at the same time share one center's numbering.
import { loadConfig } from '../../../src/config.js';
import { connectPostgres } from '../../../src/db/database.js';
import { prepareRuntime } from '../../../src/runtime.js';
import { systemContext } from '../../../src/services/context.js';
import { createLeadList } from '../../../src/services/lead-lists/manage-lead-lists.js';

const handle = connectPostgres(process.env.NUMBERS_DATABASE_URL!, 4);
try {
  const deps = await prepareRuntime(
    handle,
    loadConfig({ PASSWORD_HASH_COST: '10', OUTDIAL_DATA_DIR: '/tmp' }),
  );
  const ctx = systemContext(Number(process.env.NUMBERS_CENTER_ID), 'list-maker');
  const count = Number(process.env.NUMBERS_COUNT);
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      createLeadList(deps, ctx, { name: `${process.env.NUMBERS_NAME} ${i}` }),
    ),
  );
} finally {
  await handle.close();
}
