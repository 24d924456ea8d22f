import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupDigits } from './textTable.js';

describe('groupDigits', () => {
  it('groups thousands as en-US does, for any integer', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => groupDigits(n) === n.toLocaleString('en-US')));
    expect([0, 999, 1000, -1000, 1234567].map(groupDigits)).toEqual(['0', '999', '1,000', '-1,000', '1,234,567']);
  });

  it('leaves fractions to toLocaleString', () => {
    expect(groupDigits(1234.5)).toBe('1,234.5');
  });
});
