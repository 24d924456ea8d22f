import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { regexProblem, regexSyntaxError, translateRegex } from './regexDialect.js';

/**
 * What RE2 (the spec's dialect, run by DuckDB) matches, worked out from RE2's syntax page and
 * checked by hand on DuckDB: [[:alpha:]] and \d \w are ASCII, {,n} is literal text, $ is the very
 * end (not before a final newline), . stops at \n only, (?i) folds Unicode case, \b is ASCII.
 */
const CASES: readonly (readonly [pattern: string, text: string, matches: boolean])[] = [
  ['^[[:alpha:]]+$', 'abcXYZ', true],
  ['^[[:alpha:]]+$', 'hap', true],
  ['[[:alpha:]]', 'é', false],
  ['^[[:lower:]]+$', 'abc', true],
  ['^[[:lower:]]+$', 'aBc', false],
  ['[[:punct:]]', 'a.b', true],
  ['[[:punct:]]', 'ab', false],
  ['^a{,3}$', 'aa', false],
  ['^a{,3}$', 'a{,3}', true],
  ['^a{2,3}$', 'aaa', true],
  ['(?P<word>[a-z]+)-\\d', 'ab-1', true],
  ['^a$', 'a\n', false],
  ['^a.$', 'a\r', true],
  ['^a.$', 'a\n', false],
  ['\\d', '٣', false],
  ['\\w', 'é', false],
  ['^\\s$', '\u000b', false],
  ['(?i)é', 'É', true],
  ['\\bY', 'word Y', true],
  ['\\bY', 'éY', true],
  ['\\Qa.b\\E', 'a.b', true],
  ['\\Qa.b\\E', 'axb', false],
  ['[^[:alnum:] ]', 'a b', false],
  ['\\x41', 'A', true],
];

/** Java's reading of a translated pattern, run in JavaScript: the constructs used here mean the same in both. */
function javaLike(pattern: string): RegExp {
  const ci = pattern.startsWith('(?iu)');
  return new RegExp((ci ? pattern.slice(5) : pattern).replaceAll('\\z', '$').replace(/\\x\{([0-9a-f]+)\}/g, (_, h: string) => `\\x${h.padStart(2, '0')}`), ci ? 'i' : '');
}

describe('the regex dialect', () => {
  it('translates POSIX classes, named groups, {,n}, $ and \\d for Java and Python', () => {
    expect(translateRegex('[[:alpha:]]+', 'java')).toBe('[A-Za-z]+');
    expect(translateRegex('[[:lower:][:digit:]]', 'python')).toBe('[a-z0-9]');
    expect(translateRegex('(?P<n>a)', 'java')).toBe('(a)');
    expect(translateRegex('(?P<n>a)', 'python')).toBe('(?P<n>a)');
    expect(translateRegex('a{,3}', 'java')).toBe('a\\{,3\\}');
    expect(translateRegex('a{2,3}?', 'java')).toBe('a{2,3}?');
    expect(translateRegex('x$', 'java')).toBe('x\\z');
    expect(translateRegex('x$', 'python')).toBe('x\\Z');
    expect(translateRegex('\\d+', 'python')).toBe('[0-9]+');
    expect(translateRegex('(?i)ab', 'java')).toBe('(?iu)ab');
    expect(translateRegex('\\p{Greek}\\pL', 'java')).toBe('\\p{IsGreek}\\p{L}');
    expect(translateRegex('[a&&b]', 'java')).toBe('[a\\&\\&b]');
  });

  it('refuses what has no exact form, saying what to write', () => {
    expect(regexProblem('(?<n>a)', 'java')).toContain('write (?P<name>…)');
    expect(regexProblem('\\p{L}', 'python')).toContain('Unicode classes');
    expect(regexProblem('[x[:^alpha:]]', 'python')).toContain('inside a class');
    expect(regexProblem('(?s)a.b', 'java')).toContain('only (?i)');
    expect(regexProblem('a(?i)b', 'python')).toContain('(?i:…)');
    expect(regexProblem('a*+', 'java')).toContain('possessive');
    expect(regexProblem('(a)\\1', 'java')).toContain('backreferences');
    expect(regexProblem('[[:alpha:]]', 'java')).toBeUndefined();
  });

  it('gives Java (read here by JavaScript, which agrees on the constructs used) RE2’s matches', () => {
    const wrong = CASES.filter(([p, text, want]) => javaLike(translateRegex(p, 'java')).test(text) !== want);
    expect(wrong).toEqual([]);
  });

  it('gives Python’s re RE2’s matches', () => {
    const translated = CASES.map(([p, text]) => [translateRegex(p, 'python'), text]);
    const script = 'import json, re, sys\nprint(json.dumps([re.search(p, t) is not None for p, t in json.load(sys.stdin)]))';
    const got = JSON.parse(execFileSync(process.env['BATCHBOOK_PYTHON'] ?? 'python3', ['-c', script], { input: JSON.stringify(translated) }).toString()) as boolean[];
    expect(CASES.filter((c, i) => got[i] !== c[2])).toEqual([]);
  });

  it('checks a pattern’s syntax, accepting RE2’s (?P<name>…) and leading flags', () => {
    expect(regexSyntaxError('(?P<w>[a-z]+)')).toBeUndefined();
    expect(regexSyntaxError('(?i)abc')).toBeUndefined();
    expect(regexSyntaxError('[a-')).toBeDefined();
  });
});
