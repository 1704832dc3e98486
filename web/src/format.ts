const numbers = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return numbers.format(n);
}

/** "1 call", "2 calls": a count with its noun. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A moment in the reader's own time zone; with `zone`, in that zone too (a contact's local time). */
export function formatMoment(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  const mine = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (!zone) return mine;
  const theirs = date.toLocaleString(undefined, {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${mine} (${theirs} for the contact)`;
}

/** `<input type="datetime-local">` ↔ ISO, in the browser's zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** A moment to the second (a call's events happen seconds apart). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
