import type { Executor } from '../db/database.js';
import type { NewRow, Row } from '../db/schema.js';

export type StreamTicket = Row<'stream_tickets'>;

/** Event-stream tickets, redeemed by their hash before the tenant is known (like API keys). */
export class StreamTicketsRepository {
  constructor(private readonly db: Executor) {}

  async insert(values: NewRow<'stream_tickets'>): Promise<void> {
    await this.db.insertInto('stream_tickets').values(values).execute();
  }

  /** Takes the ticket (it works once): deleted as it is read, so two requests cannot both use it. */
  take(ticketHash: string): Promise<StreamTicket | undefined> {
    return this.db
      .deleteFrom('stream_tickets')
      .where('ticket_hash', '=', ticketHash)
      .returningAll()
      .executeTakeFirst();
  }

  async forgetExpired(now: Date): Promise<void> {
    await this.db.deleteFrom('stream_tickets').where('expires_at', '<=', now).execute();
  }
}
