import type { Static } from '@sinclair/typebox';
import type { QueueResponse } from '../../schemas/queues.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { QueueWithMembers } from '../../../services/queues/manage-queues.js';
import { iso } from '../common.js';

export function presentQueue({ queue, members }: QueueWithMembers): Static<typeof QueueResponse> {
  return {
    id: toPublicId('queue', queue.uid),
    uuid: queue.uid,
    name: queue.name,
    extension: queue.extension,
    strategy: queue.strategy,
    max_wait_seconds: queue.max_wait_seconds,
    wrap_up_seconds: queue.wrap_up_seconds,
    members: members.map((m) => ({
      user_id: toPublicId('user', m.uid),
      username: m.username,
      full_name: m.full_name,
      extension: m.extension,
      delay_seconds: m.delay_seconds,
      timeout_seconds: m.timeout_seconds,
      tags: m.tags,
    })),
    version: queue.version,
    created_at: iso(queue.created_at)!,
    updated_at: iso(queue.updated_at)!,
  };
}
