/**
 * Native (and DialNexa-style) identifiers are a prefix and the record's uuid as 32 hex digits,
 * e.g. `cmp_210ea5d942f41744f1ef37e84a4965e0`. Qvoice ids are the same 32 hex digits without the
 * prefix, and Exotel uses the integer key, so one row carries every dialect's id.
 */
export const ID_PREFIX = {
  contactCenter: 'ctr',
  user: 'usr',
  process: 'prc',
  campaign: 'cmp',
  campaignUser: 'cu',
  queue: 'que',
  apiKey: 'key',
  leadList: 'lst',
  contact: 'lead',
  callLog: 'log',
  importJob: 'imp',
  dncEntry: 'dnc',
  dncList: 'dnl',
  agentSession: 'ags',
  webhook: 'whk',
  webhookEvent: 'evt',
  forecast: 'fct',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

export function hexOfUuid(uuid: string): string {
  // A uuid as PostgreSQL writes it (dashes at 8, 13, 18 and 23) is sliced: no regex per id, which
  // a page of answers pays a few hundred times (issue 24).
  if (
    uuid.length === 36 &&
    uuid.charCodeAt(8) === DASH &&
    uuid.charCodeAt(13) === DASH &&
    uuid.charCodeAt(18) === DASH &&
    uuid.charCodeAt(23) === DASH
  )
    return (
      uuid.slice(0, 8) +
      uuid.slice(9, 13) +
      uuid.slice(14, 18) +
      uuid.slice(19, 23) +
      uuid.slice(24)
    ).toLowerCase();
  return uuid.replace(/-/g, '').toLowerCase();
}

const DASH = 45;

export function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toPublicId(kind: IdKind, uuid: string): string {
  return `${ID_PREFIX[kind]}_${hexOfUuid(uuid)}`;
}

/** The uuid behind a public id, or undefined when it is not one of this kind (callers answer 404). */
export function parsePublicId(kind: IdKind, publicId: string): string | undefined {
  const prefix = `${ID_PREFIX[kind]}_`;
  if (!publicId.startsWith(prefix)) return undefined;
  const hex = publicId.slice(prefix.length);
  return /^[0-9a-f]{32}$/.test(hex) ? uuidOfHex(hex) : undefined;
}
