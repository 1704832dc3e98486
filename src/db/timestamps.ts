import pg from 'pg';

export const TIMESTAMPTZ_OID = 1184;

const pgTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

const digit = (code: number) => code >= 48 && code <= 57;
const number = (text: string, from: number, to: number) => Number(text.slice(from, to));

/**
 * A timestamptz in PostgreSQL's ISO output (`2026-12-07 09:24:54.123456+00`, `…+05:30`), read by
 * position. pg's own parser runs three regular expressions per value: on a page of call logs, with
 * seven timestamps a row, it was the largest single cost of the answer (issue 24). Anything else
 * (BC, infinity, a year before 1000 or after 9999) goes to pg's parser, and the Date is the same
 * as pg's either way (the fraction is read as pg reads it, and Date.UTC truncates it alike).
 */
export function parseTimestamptz(text: string): Date {
  const n = text.length;
  if (
    n < 22 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 32 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(0) === 48
  )
    return pgTimestamptz(text);
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    let end = at + 1;
    while (end < n && digit(text.charCodeAt(end))) end++;
    ms = 1000 * parseFloat(text.slice(at, end));
    at = end;
  }
  const sign = text.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return pgTimestamptz(text);
  // The offset: ±HH, ±HH:MM or ±HH:MM:SS, and nothing after it.
  const rest = n - at - 1;
  if (rest !== 2 && rest !== 5 && rest !== 8) return pgTimestamptz(text);
  let offset = number(text, at + 1, at + 3) * 3600;
  if (rest >= 5) offset += number(text, at + 4, at + 6) * 60;
  if (rest === 8) offset += number(text, at + 7, at + 9);
  const utc = Date.UTC(
    number(text, 0, 4),
    number(text, 5, 7) - 1,
    number(text, 8, 10),
    number(text, 11, 13),
    number(text, 14, 16),
    number(text, 17, 19),
    ms,
  );
  const result = utc - (sign === 45 ? -offset : offset) * 1000;
  return Number.isNaN(result) ? pgTimestamptz(text) : new Date(result);
}
