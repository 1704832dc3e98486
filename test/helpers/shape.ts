import assert from 'node:assert/strict';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export interface ShapeOptions {
  /** Paths where the sample shows null or a value, and either is accepted. */
  nullable?: string[];
  /**
   * Paths of objects keyed by data (e.g. by campaign id, or by status word): their keys are not
   * compared; each value is held to the sample's first value. `*` in a path stands for any key.
   */
  maps?: string[];
  /** Paths whose content the sample elides (`{...}`): only the JSON type is compared. */
  opaque?: string[];
  /**
   * Paths where the sample's whole number stands for any number: a fractional field whose sample
   * value happens to be whole (Qvoice's `last_hangup: 0` beside its fractional Unix times).
   */
  anyNumber?: string[];
}

/**
 * Asserts that `actual` has the shape of the vendor's sample: the same keys, the same JSON types,
 * recursively (array items against the sample's first item).
 */
export function assertSameShape(actual: unknown, sample: unknown, options: ShapeOptions = {}): void {
  check(actual, sample, '$', options);
}

function check(actual: unknown, sample: unknown, path: string, options: ShapeOptions): void {
  const a = jsonType(actual);
  const s = jsonType(sample);
  const lenient = (options.nullable ?? []).includes(path) && (a === 'null' || s === 'null');
  const numeric = (t: string) => t === 'integer' || t === 'number';
  const anyNumber = (options.anyNumber ?? []).includes(path);
  if (!lenient && !(numeric(a) && numeric(s) && (s === 'number' || anyNumber))) {
    assert.equal(a, s, `${path}: expected ${s}, got ${a} (${JSON.stringify(actual)?.slice(0, 80)})`);
  }
  if ((options.opaque ?? []).includes(path)) return;
  if (s === 'object' && a === 'object') {
    if ((options.maps ?? []).includes(path)) {
      const first = Object.values(sample as object)[0];
      for (const value of Object.values(actual as object)) check(value, first, `${path}.*`, options);
      return;
    }
    const ak = Object.keys(actual as object).sort();
    const sk = Object.keys(sample as object).sort();
    assert.deepEqual(ak, sk, `${path}: keys differ`);
    for (const k of sk) {
      check(
        (actual as Record<string, unknown>)[k],
        (sample as Record<string, unknown>)[k],
        `${path}.${k}`,
        options,
      );
    }
  }
  if (s === 'array' && a === 'array' && (sample as unknown[]).length > 0) {
    for (const item of actual as unknown[]) check(item, (sample as unknown[])[0], `${path}[]`, options);
  }
}
