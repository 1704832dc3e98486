import type { Static } from '@sinclair/typebox';
import type { BoardEntry } from '../../schemas/agents.js';
import { toPublicId } from '../../../domain/public-ids.js';
import type { BoardEntry as BoardRow } from '../../../services/agents/read-agents.js';
import { presentCallLog, presentSession } from './engine.js';

export function presentBoard(rows: BoardRow[]): Static<typeof BoardEntry>[] {
  return rows.map((row) => ({
    user_id: toPublicId('user', row.user_uid),
    username: row.username,
    full_name: row.full_name,
    extension: row.extension,
    session: presentSession(row, row.campaign_uid),
    call: row.call ? presentCallLog(row.call) : null,
  }));
}
