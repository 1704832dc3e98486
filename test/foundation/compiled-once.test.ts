import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectPglite, type DatabaseHandle } from '../../src/db/database.js';
import { TenantScope } from '../../src/db/tenant-scope.js';
import { compiledOnce } from '../../src/repositories/compiled-once.js';

describe('statements compiled once per shape', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await connectPglite();
  });
  after(() => handle.close());

  const page = (scope: TenantScope, listId: number, limit: number) =>
    compiledOnce(scope, `test.page ${limit > 0}`, [listId, limit] as [number, number], (s, [list, n]) =>
      s.selectFrom('contacts').select('contacts.id').where('contacts.lead_list_id', '=', list).limit(n),
    );

  test("each call's values, the center included, in the cached text", () => {
    const first = page(new TenantScope(handle.db, { contactCenterId: 1 }), 10, 50);
    const second = page(new TenantScope(handle.db, { contactCenterId: 2 }), 20, 5);
    assert.equal(second.sql, first.sql);
    assert.deepEqual(first.parameters, [1, 10, 50]);
    assert.deepEqual(second.parameters, [2, 20, 5]);
  });

  test('a value the build captured instead of taking it from its values is refused', () => {
    const scope = new TenantScope(handle.db, { contactCenterId: 1 });
    const captured = 42;
    assert.throws(
      () =>
        compiledOnce(scope, 'test.captured', [7] as [number], (s, [list]) =>
          s
            .selectFrom('contacts')
            .select('contacts.id')
            .where('contacts.lead_list_id', '=', list)
            .where('contacts.priority', '=', captured),
        ),
      /not one of the values/,
    );
  });
});
