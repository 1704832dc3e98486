import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

/**
 * Webhooks from a transactional outbox (docs/webhooks.md). An event is written to `webhook_events`
 * in the transaction of the change it reports, with one `webhook_deliveries` row per enabled
 * subscription that wants its type, so a change without its event (or the reverse) cannot happen.
 * Any process may deliver: a delivery is taken under a lease (like the engine's claims), and only
 * the oldest undelivered one of a subscription and ordering key (the contact, the campaign…) can
 * be taken, so a receiver sees one contact's events in order. Every attempt is logged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table webhook_subscriptions (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      uid uuid not null unique,
      url text not null,
      description text not null default '',
      event_types text[] not null,
      secret text not null,
      enabled boolean not null default true,
      disabled_reason text,
      disabled_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (contact_center_id, id)
    );

    create table webhook_events (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      uid uuid not null unique,
      type text not null,
      occurred_at timestamptz not null,
      ordering_key text not null,
      payload jsonb not null,
      unique (contact_center_id, id)
    );

    create table webhook_deliveries (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      subscription_id bigint not null,
      event_id bigint not null,
      ordering_key text not null,
      state text not null default 'pending' check (state in ('pending', 'delivered')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      failing_since timestamptz,
      lease_owner text,
      lease_expires_at timestamptz,
      last_status_code integer,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null,
      unique (subscription_id, event_id),
      unique (contact_center_id, id),
      foreign key (contact_center_id, subscription_id)
        references webhook_subscriptions (contact_center_id, id) on delete cascade,
      foreign key (contact_center_id, event_id) references webhook_events (contact_center_id, id)
    );
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'pending';
    create index webhook_deliveries_order on webhook_deliveries (subscription_id, ordering_key, event_id)
      where state = 'pending';
    create index webhook_deliveries_log on webhook_deliveries (subscription_id, event_id);

    create table webhook_attempts (
      id bigint generated always as identity primary key,
      contact_center_id bigint not null references contact_centers(id),
      delivery_id bigint not null,
      subscription_id bigint not null,
      attempted_at timestamptz not null,
      outcome text not null check (outcome in ('delivered', 'failed')),
      status_code integer,
      error text,
      latency_ms integer not null,
      response_excerpt text,
      foreign key (contact_center_id, delivery_id)
        references webhook_deliveries (contact_center_id, id) on delete cascade
    );
    create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);
  `,
  );
}
