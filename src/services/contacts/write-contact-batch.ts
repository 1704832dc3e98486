import type { TenantRepositories } from '../../repositories/index.js';
import type { NewContact } from '../../repositories/contacts.repository.js';
import type { ContactTarget, DedupRule } from './prepare-contact.js';

export type RowOutcome =
  | { kind: 'created'; id: number; uid: string }
  | { kind: 'updated'; id: number }
  | { kind: 'duplicate'; id: number | null }
  | { kind: 'dnc' };

/**
 * Writes a batch of prepared contacts in the caller's transaction: numbers on a do-not-call list
 * are refused, duplicates (in the batch or already stored, within the list or the campaign) are
 * skipped, updated or allowed per the rule, the rest inserted in one statement. Outcomes come back
 * in input order. Inserts are serialized per center (see ContactsRepository.lockInserts).
 */
export async function writeContactBatch(
  repos: TenantRepositories,
  contacts: NewContact[],
  target: ContactTarget,
  rule: DedupRule,
  now: Date,
): Promise<RowOutcome[]> {
  await repos.contacts.lockInserts();
  const phones = [...new Set(contacts.map((c) => c.phone_e164))];
  const blocked = await repos.dnc.blockedNumbers(phones, target.campaignId);
  const dedupTarget =
    rule.scope === 'campaign' && target.campaignId !== null
      ? { campaignId: target.campaignId }
      : { leadListId: target.leadListId };
  const existing =
    rule.policy === 'allow' ? new Map() : await repos.contacts.existingByPhone(phones, dedupTarget);

  const outcomes: (RowOutcome | undefined)[] = new Array(contacts.length);
  const toInsert: { index: number; contact: NewContact }[] = [];
  const toUpdate: { index: number; id: number; row: NewContact }[] = [];
  const seenInBatch = new Map<string, number>();
  contacts.forEach((contact, index) => {
    if (blocked.has(contact.phone_e164)) {
      outcomes[index] = { kind: 'dnc' };
      return;
    }
    if (rule.policy !== 'allow') {
      const stored = existing.get(contact.phone_e164);
      const earlier = seenInBatch.get(contact.phone_e164);
      if (stored || earlier !== undefined) {
        if (rule.policy === 'update' && stored) {
          toUpdate.push({ index, id: stored.id, row: contact });
          outcomes[index] = { kind: 'updated', id: stored.id };
        } else {
          outcomes[index] = { kind: 'duplicate', id: stored?.id ?? null };
        }
        return;
      }
      seenInBatch.set(contact.phone_e164, index);
    }
    toInsert.push({ index, contact });
  });
  // Several rows of one batch updating the same contact: the last one wins, once.
  const lastUpdate = new Map(toUpdate.map((u) => [u.id, u]));
  await repos.contacts.updateDetails([...lastUpdate.values()], now);
  const inserted = await repos.contacts.insertMany(
    toInsert.map((i) => i.contact),
    now,
  );
  const idByUid = new Map(inserted.map((r) => [r.uid, r.id]));
  for (const item of toInsert) {
    outcomes[item.index] = { kind: 'created', id: idByUid.get(item.contact.uid)!, uid: item.contact.uid };
  }
  return outcomes as RowOutcome[];
}
