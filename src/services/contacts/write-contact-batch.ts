import type { TenantRepositories } from '../../repositories/index.js';
import type { NewContact } from '../../repositories/contacts.repository.js';
import type { RowOutcome } from '../../repositories/contact-batches.repository.js';
import type { ContactTarget, DedupRule } from '../../imports/prepare-contact.js';

export type { RowOutcome };

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
  if (contacts.length === 0) return [];
  await repos.contacts.lockInserts();
  return repos.contactBatches.writeRows(contacts, target, rule, now);
}
