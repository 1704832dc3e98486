import { toPublicId } from '../../domain/public-ids.js';
import { inTenantTransaction, type RequestContext, type ServiceDeps } from '../context.js';
import { eraseContactRecordings } from '../recordings/delete-recordings.js';

/**
 * A privacy erasure of a contact's recordings on request, whatever its campaign's state (removal
 * erases them too, but a completed or stopped campaign's contacts are kept and cannot be removed).
 * Each recording is deleted and audited as on removal (the file goes with the retention worker's
 * next round); the request itself is audited on the contact, with how many it erased, so a request
 * that found nothing is on record too. Returns that number.
 */
export function eraseContactRecordingsOnRequest(
  deps: ServiceDeps,
  ctx: RequestContext,
  contactUid: string,
): Promise<number> {
  return inTenantTransaction(deps, ctx, async (work) => {
    const contact = await work.repos.contacts.getByUid(contactUid);
    const erased = await eraseContactRecordings(work, contact.id);
    await work.audit('contact.erase_recordings', 'contact', toPublicId('contact', contact.uid), null, {
      erased,
    });
    return erased;
  });
}
