import { Type, type IntegerOptions, type NumberOptions, type StringOptions } from '@sinclair/typebox';

/**
 * Bounded numbers for everything a client sends. A number the database cannot hold would fail in
 * PostgreSQL (500) instead of validation (400), so every integer and time a request carries is one
 * of these, bounded by the column it ends up in; the OpenAPI test refuses any request number
 * without both bounds.
 */

/** PostgreSQL `integer` columns (counts, seconds, priorities, versions). */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

/**
 * Row ids are `bigint`, but a JSON number is exact only up to 2^53 − 1, so that is the largest id
 * a client can name (15 digits when written as text).
 */
export const ROW_ID_MAX = Number.MAX_SAFE_INTEGER;

/** 9999-12-31T23:59:59Z: PostgreSQL and ISO 8601 without extended years both stop there. */
export const UNIX_SECONDS_MAX = 253_402_300_799;

/** Any value of an `integer` column; narrower bounds given in `options` win. */
export const Int4 = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: INT4_MIN, maximum: INT4_MAX, ...options });

/** A count, a number of seconds or minutes, an offset: from 0 up to what an `integer` holds. */
export const Count = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: 0, maximum: INT4_MAX, ...options });

/** A numeric row id (Exotel's ids, numeric_id, event ids). */
export const RowId = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: 1, maximum: ROW_ID_MAX, ...options });

/** A numeric row id written as text (Exotel's `contextId`, cursors): at most 15 digits. */
export const RowIdText = (options: StringOptions = {}) =>
  Type.String({ pattern: '^[0-9]{1,15}$', ...options });

/** A page number: the offset it gives stays far inside a `bigint`. */
export const PageNumber = (options: IntegerOptions = {}) =>
  Type.Integer({ minimum: 1, maximum: INT4_MAX, ...options });

/** A fraction or ratio with explicit bounds (both required: a bare number could be 1e300). */
export const Bounded = (minimum: number, maximum: number, options: NumberOptions = {}) =>
  Type.Number({ minimum, maximum, ...options });

/**
 * A value of a contact's custom variables. Numbers are kept as the client wrote them inside JSON
 * (jsonb holds any JSON number), so they need no bounds; the mark tells the bounds test so.
 */
export const VariableValue = Type.Union([
  Type.String(),
  Type.Number({ 'x-stored-as': 'json' }),
  Type.Boolean(),
]);
