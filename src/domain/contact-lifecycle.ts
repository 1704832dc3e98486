import type { ContactStatus } from '../db/schema.js';
import { conflict } from './errors.js';

/**
 * The contact lifecycle (docs/leads.md):
 *
 *            ┌──────────── claim ────────────┐
 *   new ─────┤                               ▼
 *   retry ───┤                         in_progress ──▶ completed | failed | dnc
 *   callback ┘                               │
 *        ▲                                   └──▶ retry (next_attempt_at) | callback (callback_at)
 *        └────── operator resets (failed/completed → new) ───────
 *
 *   any state ──remove──▶ removed (soft delete: never dialled again, history kept; a contact on a
 *                                   call is marked removed at once and becomes `removed` when the call ends)
 *
 * `new`, `retry` and `callback` are dialable states; `completed`, `failed`, `dnc` and `removed` are final
 * for dialling. Only the engine moves a contact into or out of `in_progress`.
 */
export const DIALABLE_STATUSES: readonly ContactStatus[] = ['new', 'retry', 'callback'];

/** What an operator (or an API client) may set by hand, from which states. */
const MANUAL: Record<ContactStatus, readonly ContactStatus[]> = {
  new: ['retry', 'callback', 'completed', 'failed', 'dnc'],
  retry: ['new', 'callback', 'completed', 'failed', 'dnc'],
  callback: ['new', 'retry', 'completed', 'failed', 'dnc'],
  completed: ['new'],
  failed: ['new'],
  dnc: [],
  in_progress: [],
  removed: [],
};

export function checkManualTransition(from: ContactStatus, to: ContactStatus): void {
  if (from === to) return;
  if (from === 'in_progress')
    throw conflict('The contact is on a call; its status changes when the call ends');
  if (!MANUAL[from].includes(to)) throw conflict(`A contact cannot go from ${from} to ${to}`);
}

/** Custom variables: documented limits (docs/leads.md). */
export const VARIABLE_LIMITS = { maxKeys: 50, maxKeyLength: 64, maxValueLength: 1024 } as const;

export function variableProblems(variables: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(variables);
  if (keys.length > VARIABLE_LIMITS.maxKeys) problems.push(`at most ${VARIABLE_LIMITS.maxKeys} variables`);
  for (const key of keys) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) || key.length > VARIABLE_LIMITS.maxKeyLength) {
      problems.push(
        `variable name "${key.slice(0, 80)}" must be letters, digits, _ . - (at most ${VARIABLE_LIMITS.maxKeyLength})`,
      );
    }
    const value = variables[key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`variable ${key} must be a string, number or boolean`);
    } else if (String(value).length > VARIABLE_LIMITS.maxValueLength) {
      problems.push(`variable ${key} is longer than ${VARIABLE_LIMITS.maxValueLength} characters`);
    }
  }
  return problems;
}

export function stringifyVariables(variables: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in variables) out[key] = String(variables[key]);
  return out;
}
