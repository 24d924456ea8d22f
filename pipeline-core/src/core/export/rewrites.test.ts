import { describe, expect, it } from 'vitest';
import { nonEmptyPattern, portablePattern } from './rewrites.js';

describe('portablePattern', () => {
  it.each([
    ['^[[:alpha:]]+$', '^[a-zA-Z]+$'],
    ['[[:upper:]][[:lower:][:digit:]_]*', '[A-Z][a-z0-9_]*'],
    ['(?<year>[0-9]{4})-(?<m>[0-9]{2})', '([0-9]{4})-([0-9]{2})'],
    ['(?P<id>x)', '(x)'],
    ['a{,3}b', 'a[{],3}b'],
  ])('%s → %s', (from, to) => expect(portablePattern(from)).toBe(to));

  it.each([['[0-9]+'], ['[[:punct:]]'], ['\\p{L}+'], ['a{2,3}']])('leaves %s alone (nothing to change, or no portable spelling)', (p) => expect(portablePattern(p)).toBeUndefined());
});

describe('nonEmptyPattern (for a replacement of the empty string)', () => {
  it.each([
    ['\\s*', '\\s+'],
    ['[ ,;]*', '[ ,;]+'],
    ['x?', 'x'],
    ['(ab)*', '(ab)+'],
    ['\\d{0,4}', '\\d{1,4}'],
    ['.*', '.+'],
  ])('%s → %s', (from, to) => expect(nonEmptyPattern(from)).toBe(to));

  it.each([['a*b*'], ['\\s*x'], ['x+'], ['(a|b*)'], ['^\\s*']])('has no single-atom rewrite for %s', (p) => expect(nonEmptyPattern(p)).toBeUndefined());
});
