import type { LeadEvent } from './api';
import { formatInstant, formatMoment } from './format';
import { DISPOSITION_LABEL, STATUS_LABEL } from './status';
import type { ContactStatus } from './api';

const EVENT_LABEL: Record<string, string> = {
  dialed: 'Dialled',
  answered: 'Answered by a person',
  connected: 'Connected to an agent',
  ended: 'Call ended',
  machine: 'Answered by a machine',
  no_answer: 'No answer',
  busy: 'Busy',
  invalid_number: 'Invalid number',
  failed: 'Call failed',
  abandoned: 'Abandoned: no agent was free',
  cancelled: 'Call cancelled before it was placed',
  disposition: 'Disposition',
  status_changed: 'Status changed',
  retry_scheduled: 'Retry scheduled',
  callback_scheduled: 'Callback scheduled',
  added_to_dnc: 'Added to the do-not-call list',
  preview_skipped: 'Skipped in preview',
  claim_expired: 'Given back: the dialer holding it stopped',
};

const statusWord = (s: string) => STATUS_LABEL[s as ContactStatus] ?? s.replace(/_/g, ' ');

/** One event in words: what happened, and the detail that matters. */
export function describeEvent(e: LeadEvent, agentName?: (id: string) => string | undefined): string {
  const d = e.detail as Record<string, string | number | null | undefined>;
  const parts = [EVENT_LABEL[e.type] ?? e.type.replace(/_/g, ' ')];
  if (e.type === 'dialed' && d.attempt !== undefined)
    parts.push(`attempt ${d.attempt}, ${d.mode ?? ''}`.trim());
  if (e.type === 'disposition' && d.disposition)
    parts.push(DISPOSITION_LABEL[d.disposition] ?? String(d.disposition));
  if (e.type === 'disposition' && d.note) parts.push(`“${d.note}”`);
  if (e.type === 'ended' && typeof d.talk_seconds === 'number') parts.push(`${d.talk_seconds}s of talk`);
  if (e.from_status || e.to_status)
    parts.push(`${statusWord(e.from_status ?? '—')} → ${statusWord(e.to_status ?? '—')}`);
  if ((e.type === 'retry_scheduled' || e.type === 'callback_scheduled') && typeof d.at === 'string')
    parts.push(`for ${formatMoment(d.at)}`);
  if (e.type === 'callback_scheduled' && d.agent_user_id) parts.push('its agent only');
  if (typeof d.reason === 'string') parts.push(d.reason.replace(/_/g, ' '));
  const agent = e.agent_id ? (agentName?.(e.agent_id) ?? null) : null;
  if (agent && (e.type === 'connected' || e.type === 'disposition')) parts.push(`by ${agent}`);
  return parts.join(' · ');
}

/** A contact's lead events, oldest first, as a timeline. */
export function EventTimeline({
  events,
  agentName,
}: {
  events: LeadEvent[];
  agentName?: (id: string) => string | undefined;
}) {
  if (events.length === 0) return <p className="muted">Nothing has happened to this contact yet.</p>;
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id} data-event={e.type}>
          <time dateTime={e.at}>{formatInstant(e.at)}</time>
          <span>{describeEvent(e, agentName)}</span>
        </li>
      ))}
    </ol>
  );
}
