/* eslint-disable @typescript-eslint/no-explicit-any -- generic over tables; typed at the public surface */
import { sql } from 'kysely';
import { notFound, staleVersion } from '../domain/errors.js';
import type { NewRow, Row, TenantTable } from '../db/schema.js';
import type { TenantScope } from '../db/tenant-scope.js';

export type VersionedTable = {
  [K in TenantTable]: Row<K> extends { id: number; version: number; updated_at: Date } ? K : never;
}[TenantTable];

/** Tables whose rows carry a number per contact center (migration 0020). */
export type NumberedTable = {
  [K in VersionedTable]: Row<K> extends { number_in_center: number } ? K : never;
}[VersionedTable];

export interface PageRequest {
  page: number;
  limit: number;
  /** Rows to skip; when absent, derived from the page number. Offset-paginated dialects set it. */
  offset?: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface Change<T> {
  before: T;
  after: T;
}

/**
 * Reads and writes of one tenant-owned table with optimistic concurrency: every update bumps
 * `version`, and an update that names a stale version fails with a conflict instead of
 * overwriting someone else's change.
 */
export class VersionedRepository<T extends VersionedTable> {
  constructor(
    protected readonly scope: TenantScope,
    protected readonly table: T,
    protected readonly label: string,
    /** Columns of PostgreSQL type text[]: written as arrays, where other objects are written as JSON. */
    private readonly textArrayColumns: readonly string[] = [],
  ) {}

  async findById(id: number): Promise<Row<T> | undefined> {
    return (await (this.scope.selectFrom(this.table) as any)
      .selectAll()
      .where(`${this.table}.id`, '=', id)
      .executeTakeFirst()) as Row<T> | undefined;
  }

  async getById(id: number): Promise<Row<T>> {
    const row = await this.findById(id);
    if (!row) throw notFound(this.label);
    return row;
  }

  /** A row by the number clients see (`number_in_center`, numbered per contact center). */
  async findByNumber(this: VersionedRepository<NumberedTable>, number: number): Promise<Row<T> | undefined> {
    return (await (this.scope.selectFrom(this.table) as any)
      .selectAll()
      .where(`${this.table}.number_in_center`, '=', number)
      .executeTakeFirst()) as Row<T> | undefined;
  }

  async findByUid(uid: string): Promise<Row<T> | undefined> {
    return (await (this.scope.selectFrom(this.table) as any)
      .selectAll()
      .where(`${this.table}.uid`, '=', uid)
      .executeTakeFirst()) as Row<T> | undefined;
  }

  async getByUid(uid: string | undefined): Promise<Row<T>> {
    const row = uid ? await this.findByUid(uid) : undefined;
    if (!row) throw notFound(this.label);
    return row;
  }

  async insert(values: Omit<NewRow<T>, 'contact_center_id'>): Promise<Row<T>> {
    return (await (this.scope.insertInto(this.table, serializeJson(values) as any) as any)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row<T>;
  }

  /**
   * Applies a patch. With `expectedVersion`, the update happens only if the stored version still
   * matches; otherwise 409. The row is locked for the duration of the caller's transaction.
   */
  async update(
    id: number,
    patch: Partial<Row<T>>,
    now: Date,
    expectedVersion?: number,
  ): Promise<Change<Row<T>>> {
    const before = (await (this.scope.selectFrom(this.table) as any)
      .selectAll()
      .where(`${this.table}.id`, '=', id)
      .forUpdate()
      .executeTakeFirst()) as Row<T> | undefined;
    if (!before) throw notFound(this.label);
    const current = (before as { version: number }).version;
    if (expectedVersion !== undefined && expectedVersion !== current) throw staleVersion(current);
    const after = (await (this.scope.updateTable(this.table) as any)
      .set({ ...serializeJson(patch, this.textArrayColumns), version: sql`version + 1`, updated_at: now })
      .where(`${this.table}.id`, '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as Row<T>;
    return { before, after };
  }

  async deleteById(id: number): Promise<Row<T>> {
    const row = (await (this.scope.deleteFrom(this.table) as any)
      .where(`${this.table}.id`, '=', id)
      .returningAll()
      .executeTakeFirst()) as Row<T> | undefined;
    if (!row) throw notFound(this.label);
    return row;
  }
}

/** jsonb columns are written as JSON text so both drivers store objects and arrays alike (bytes stay bytes). */
export function serializeJson<T extends object>(values: T, arrayColumns: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = arrayColumns.includes(key)
      ? sql`${value}::text[]`
      : value !== null &&
          typeof value === 'object' &&
          !(value instanceof Date) &&
          !(value instanceof Uint8Array)
        ? JSON.stringify(value)
        : value;
  }
  return out as T;
}

/**
 * One page of a filtered query plus the total count. `base` carries only the filters;
 * `selectRows` adds the selection and the order.
 */
export async function paginate<R>(
  base: any,
  page: PageRequest,
  selectRows: (q: any) => any,
): Promise<Page<R>> {
  const counted = (await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirst()) as {
    total: number;
  };
  const rows = (await selectRows(base)
    .limit(page.limit)
    .offset(page.offset ?? (page.page - 1) * page.limit)
    .execute()) as R[];
  return { rows, total: counted.total };
}
