import { CompiledQuery } from 'kysely';
import { TenantScope } from '../db/tenant-scope.js';

/** A value's place among a statement's values, given to a build in place of the value. */
class StandIn {
  constructor(readonly index: number) {}
}

const shapes = new Map<string, { sql: string; places: number[] }>();

/**
 * A statement whose text depends only on its shape (which filters it has, how many values a list
 * holds), built and compiled by Kysely once per shape, then run with each call's values: building
 * and compiling a page's statement cost more Node time than the rest of the answer (issue 24).
 *
 * `build` receives a scope and values that are stand-ins; it must decide nothing from them (what
 * decides the text belongs in `shape`). Every parameter of the compiled statement must be one of
 * them, the center included: a value captured any other way would be reused for every later call,
 * so it is refused.
 */
export function compiledOnce<V extends readonly unknown[]>(
  scope: TenantScope,
  shape: string,
  values: V,
  build: (scope: TenantScope, values: V) => { compile(): CompiledQuery },
): CompiledQuery {
  const all = [scope.contactCenterId, ...values];
  let known = shapes.get(shape);
  if (!known) {
    const standIns = all.map((_, i) => new StandIn(i));
    const center = standIns[0] as unknown as number;
    const compiled = build(
      new TenantScope(scope.db, { contactCenterId: center }),
      standIns.slice(1) as unknown as V,
    ).compile();
    const places = compiled.parameters.map((p) => {
      if (!(p instanceof StandIn)) throw new Error(`${shape}: a parameter that is not one of the values`);
      return p.index;
    });
    known = { sql: compiled.sql, places };
    shapes.set(shape, known);
  }
  return CompiledQuery.raw(
    known.sql,
    known.places.map((i) => all[i]),
  );
}
