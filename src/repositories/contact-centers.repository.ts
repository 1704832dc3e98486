import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { ContactCenter, NewRow } from '../db/schema.js';

/** Contact centers are the tenants themselves, so these queries are the only unscoped ones. */
export class ContactCentersRepository {
  constructor(private readonly db: Executor) {}

  findById(id: number): Promise<ContactCenter | undefined> {
    return this.db.selectFrom('contact_centers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByPublicNumber(publicNumber: number): Promise<ContactCenter | undefined> {
    return this.db
      .selectFrom('contact_centers')
      .selectAll()
      .where('public_number', '=', publicNumber)
      .executeTakeFirst();
  }

  findByShortName(shortName: string): Promise<ContactCenter | undefined> {
    return this.db
      .selectFrom('contact_centers')
      .selectAll()
      .where(sql`lower(short_name)`, '=', shortName.toLowerCase())
      .executeTakeFirst();
  }

  /** Serialises concurrent creations of one short name (until the transaction ends) into a clear conflict. */
  async lockShortName(shortName: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`center:${shortName.toLowerCase()}`}))`.execute(
      this.db,
    );
  }

  insert(values: NewRow<'contact_centers'>): Promise<ContactCenter> {
    return this.db.insertInto('contact_centers').values(values).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, patch: Partial<ContactCenter>, now: Date): Promise<ContactCenter> {
    return this.db
      .updateTable('contact_centers')
      .set({ ...patch, version: sql`version + 1`, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  lockForUpdate(id: number): Promise<ContactCenter | undefined> {
    return this.db
      .selectFrom('contact_centers')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }
}
