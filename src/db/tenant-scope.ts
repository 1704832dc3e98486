/* eslint-disable @typescript-eslint/no-explicit-any -- the one place where table names are generic */
import { sql, type DeleteQueryBuilder, type SelectQueryBuilder, type UpdateQueryBuilder } from 'kysely';
import type { Executor } from './database.js';
import type { DB, NewRow, TenantTable } from './schema.js';

/** The contact center a request or job acts for. Every service takes it explicitly. */
export interface Tenant {
  readonly contactCenterId: number;
}

type WithoutTenant<T extends TenantTable> = Omit<NewRow<T>, 'contact_center_id'>;

/**
 * The only way repositories reach tenant-owned tables: every select, update and delete it builds
 * is already restricted to one contact center, and every insert is stamped with it. A row of
 * another center is therefore indistinguishable from a missing one.
 */
export class TenantScope {
  constructor(
    readonly db: Executor,
    readonly tenant: Tenant,
  ) {}

  get contactCenterId(): number {
    return this.tenant.contactCenterId;
  }

  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<DB, T, object> {
    return (this.db as any)
      .selectFrom(table)
      .where(sql.ref(`${table}.contact_center_id`), '=', this.contactCenterId);
  }

  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<DB, T, T, any> {
    return (this.db as any)
      .updateTable(table)
      .where(sql.ref(`${table}.contact_center_id`), '=', this.contactCenterId);
  }

  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<DB, T, any> {
    return (this.db as any)
      .deleteFrom(table)
      .where(sql.ref(`${table}.contact_center_id`), '=', this.contactCenterId);
  }

  insertInto<T extends TenantTable>(table: T, values: WithoutTenant<T> | WithoutTenant<T>[]) {
    const rows = (Array.isArray(values) ? values : [values]).map((v) => ({
      ...v,
      contact_center_id: this.contactCenterId,
    }));
    return (this.db as any).insertInto(table).values(rows) as ReturnType<Executor['insertInto']>;
  }

  /** The same scope on another executor (e.g. inside a transaction). */
  on(db: Executor): TenantScope {
    return new TenantScope(db, this.tenant);
  }
}
