import assert from 'node:assert/strict';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Asserts that `actual` has the shape of the vendor's sample: the same keys, the same JSON types,
 * recursively (array items against the sample's first item). `nullable` lists paths where the
 * sample shows null or a value, and either is accepted.
 */
export function assertSameShape(actual: unknown, sample: unknown, path = '$', nullable: string[] = []): void {
  const a = jsonType(actual);
  const s = jsonType(sample);
  const lenient = nullable.includes(path) && (a === 'null' || s === 'null');
  const numeric = (t: string) => t === 'integer' || t === 'number';
  if (!lenient && !(numeric(a) && numeric(s) && s === 'number')) {
    assert.equal(a, s, `${path}: expected ${s}, got ${a} (${JSON.stringify(actual)?.slice(0, 80)})`);
  }
  if (s === 'object' && a === 'object') {
    const ak = Object.keys(actual as object).sort();
    const sk = Object.keys(sample as object).sort();
    assert.deepEqual(ak, sk, `${path}: keys differ`);
    for (const k of sk) {
      assertSameShape(
        (actual as Record<string, unknown>)[k],
        (sample as Record<string, unknown>)[k],
        `${path}.${k}`,
        nullable,
      );
    }
  }
  if (s === 'array' && a === 'array' && (sample as unknown[]).length > 0) {
    for (const [i, item] of (actual as unknown[]).entries()) {
      assertSameShape(item, (sample as unknown[])[0], `${path}[${i}]`.replace(/\[\d+\]/g, '[]'), nullable);
    }
  }
}
