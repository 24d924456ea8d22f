/**
 * The spec language's one regex dialect, and its exact translation to the engines' own.
 *
 * The dialect is RE2's syntax (the embedded runner, the DuckDB script and dbt run RE2 as it is):
 * see docs/expression-language.md. Java (Spark) and Python's `re` (Beam) read several of its
 * constructs differently — `[[:alpha:]]` is a set of letters in Java, `(?P<name>…)` does not parse
 * there, `$` also matches before a final newline in both, `\d` is Unicode in Python — so each
 * pattern is rewritten construct by construct into one that matches exactly the same strings, and
 * a construct that has no exact rewrite is refused with a suggested one.
 */
export type RegexTarget = 'java' | 'python';

/** A construct a target cannot read exactly; `hint` says what to write instead. */
export class RegexRefusal extends Error {
  constructor(
    readonly construct: string,
    readonly hint: string,
  ) {
    super(`${construct} (${hint})`);
  }
}

const WORD = '0-9A-Za-z_';
const SPACE = '\\t\\n\\f\\r ';
/** POSIX classes as RE2 reads them: ASCII only. */
const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-/:-@\\[-`{-~',
  space: '\\t\\n\\x0B\\f\\r ',
  upper: 'A-Z',
  word: WORD,
  xdigit: '0-9A-Fa-f',
};
/** Perl classes as RE2 reads them (ASCII), as class contents. */
const PERL: Readonly<Record<string, string>> = { d: '0-9', w: WORD, s: SPACE };
const BOUNDARY = `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
const NOT_BOUNDARY = `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;
const GENERAL_CATEGORY = /^(?:[LMNPSZC][a-z]?)$/;
const META = new Set('\\.+*?()|[]{}^$');
const CLASS_META = new Set('\\]-[^&');

function escapeChar(ch: string, inClass: boolean): string {
  return (inClass ? CLASS_META : META).has(ch) ? `\\${ch}` : ch;
}

/** Translates a spec (RE2) pattern for Java or Python; throws RegexRefusal for what has no exact form. */
export function translateRegex(pattern: string, target: RegexTarget): string {
  return new Translator(pattern, target).run();
}

/** The refusal a pattern gets on a target, as text, or undefined when it translates. */
export function regexProblem(pattern: string, target: RegexTarget): string | undefined {
  try {
    translateRegex(pattern, target);
    return undefined;
  } catch (e) {
    if (e instanceof RegexRefusal) return e.message;
    throw e;
  }
}

class Translator {
  private i = 0;
  private out = '';
  constructor(
    private readonly p: string,
    private readonly target: RegexTarget,
  ) {}

  run(): string {
    while (this.i < this.p.length) this.atom();
    return this.out;
  }

  private refuse(construct: string, hint: string): never {
    throw new RegexRefusal(construct, hint);
  }

  private atom(): void {
    const ch = this.p[this.i]!;
    if (ch === '\\') return this.escape();
    if (ch === '[') return this.charClass();
    if (ch === '(') return this.group();
    if (ch === '{') return this.brace();
    this.i++;
    if (ch === '.') this.out += '[^\\n]'; // RE2's dot: anything but a newline (Java's also stops at \r, \u0085…)
    else if (ch === '$') this.out += this.target === 'java' ? '\\z' : '\\Z'; // RE2's $: the very end only
    else if (ch === '*' || ch === '+' || ch === '?') this.quantifierTail(ch);
    else this.out += ch === '^' || ch === ')' || ch === '|' ? ch : escapeChar(ch, false);
  }

  private quantifierTail(q: string): void {
    this.out += q;
    if (this.p[this.i] === '?') {
      this.out += '?';
      this.i++;
    } else if (this.p[this.i] === '+') this.refuse(`the possessive quantifier ${q}+`, 'RE2 has none; drop the +');
  }

  /** {n}, {n,}, {n,m} repeat; anything else — {,n} too — is literal text in RE2. */
  private brace(): void {
    const m = /^\{(\d+)(,\d*)?\}/.exec(this.p.slice(this.i));
    if (!m) {
      this.out += '\\{';
      this.i++;
      return;
    }
    this.i += m[0].length;
    this.quantifierTail(m[0]);
  }

  private escape(): void {
    const c = this.p[this.i + 1];
    if (c === undefined) this.refuse('a trailing backslash', 'escape it as \\\\');
    this.i += 2;
    const java = this.target === 'java';
    if (c in PERL) this.out += `[${PERL[c]}]`;
    else if (c.toLowerCase() in PERL) this.out += `[^${PERL[c.toLowerCase()]}]`;
    else if (c === 'b') this.out += BOUNDARY;
    else if (c === 'B') this.out += NOT_BOUNDARY;
    else if (c === 'A') this.out += '\\A';
    else if (c === 'z') this.out += java ? '\\z' : '\\Z';
    else if (c === 'p' || c === 'P') this.out += this.unicodeClass(c === 'P');
    else if (c === 'Q') this.quoted();
    else this.out += this.charEscape(c, false);
  }

  /** An escape that stands for one character (or a punctuation mark), in or out of a class. */
  private charEscape(c: string, inClass: boolean): string {
    if ('aftnr'.includes(c)) return `\\${c}`;
    if (c === 'v') return '\\x0B'; // Java's \v is a class of vertical spaces
    if (c === 'x') return this.hexEscape();
    if (/[0-9]/.test(c)) this.refuse(`the escape \\${c}`, 'RE2 reads no backreferences; write the character as \\x{…}');
    if (c === 'C') this.refuse('\\C (any byte)', 'use . for any character');
    if (/[A-Za-z]/.test(c)) this.refuse(`the escape \\${c}`, 'RE2 does not know it');
    return escapeChar(c, inClass);
  }

  private hexEscape(): string {
    const m = /^(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(this.p.slice(this.i));
    if (!m) this.refuse('a malformed \\x escape', 'write \\xHH or \\x{HHHH}');
    this.i += m[0].length;
    const code = parseInt(m[1] ?? m[2]!, 16);
    if (this.target === 'java') return `\\x{${code.toString(16)}}`;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
  }

  private unicodeClass(negated: boolean): string {
    const rest = this.p.slice(this.i);
    const m = /^(?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(rest);
    if (!m) this.refuse('a malformed \\p class', 'write \\p{L} or \\pL');
    this.i += m[0].length;
    if (this.target === 'python') this.refuse('Unicode classes (\\p{…})', "Python's re has none; list the characters, e.g. [A-Za-zÀ-ÿ]");
    const name = m[2] ?? m[3]!;
    const neg = negated !== (m[1] === '^');
    if (name === 'Any') return neg ? '[^\\x{0}-\\x{10ffff}]' : '[\\x{0}-\\x{10ffff}]';
    return `\\${neg ? 'P' : 'p'}{${GENERAL_CATEGORY.test(name) ? name : `Is${name}`}}`;
  }

  /** \Q…\E: every character literal. */
  private quoted(): void {
    const end = this.p.indexOf('\\E', this.i);
    const text = this.p.slice(this.i, end < 0 ? undefined : end);
    this.i = end < 0 ? this.p.length : end + 2;
    for (const ch of text) this.out += escapeChar(ch, false);
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    let m: RegExpExecArray | null;
    if ((m = /^\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest))) {
      // a named group is a numbered group with a name; RE2 has no backreferences, so only the number counts
      this.out += this.target === 'java' ? '(' : `(?P<${m[1]}>`;
    } else if (/^\(\?<[A-Za-z_]/.test(rest)) {
      this.refuse('a named group written (?<name>…)', 'write (?P<name>…)');
    } else if ((m = /^\(\?([A-Za-z-]*)(:|\))/.exec(rest))) {
      if (m[1] !== 'i') this.refuse(`the flags (?${m[1]}${m[2]}`, 'only (?i) and (?i:…) are portable');
      if (this.target === 'python' && m[2] === ')' && this.i > 0) this.refuse('(?i) after the start of the pattern', "Python's re takes global flags first only; write (?i:…) around the rest");
      // RE2's (?i) folds Unicode case; Java's needs u for that (Python's re does it by default)
      this.out += `(?${this.target === 'java' ? 'iu' : 'i'}${m[2]}`;
    } else if (rest.startsWith('(?')) {
      this.refuse(`the group ${rest.slice(0, 3)}…`, 'RE2 has no lookaround or backreferences');
    } else {
      m = /^\(/.exec(rest)!;
      this.out += '(';
    }
    this.i += m[0].length;
  }

  private charClass(): void {
    this.i++;
    const negated = this.p[this.i] === '^';
    if (negated) this.i++;
    const items: string[] = [];
    let first = true;
    for (;;) {
      const ch = this.p[this.i];
      if (ch === undefined) this.refuse('an unclosed [', 'close the class with ]');
      if (ch === ']' && !first) break;
      first = false;
      items.push(this.classItem(negated));
    }
    this.i++;
    this.out += `[${negated ? '^' : ''}${items.join('')}]`;
  }

  private classItem(negatedOuter: boolean): string {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
    if (posix) {
      this.i += posix[0].length;
      const set = POSIX[posix[2]!];
      if (!set) this.refuse(`the POSIX class [:${posix[2]}:]`, `RE2 knows ${Object.keys(POSIX).join(', ')}`);
      return posix[1] ? this.nestedNegation(set, negatedOuter, `[:^${posix[2]}:]`) : set;
    }
    if (this.p[this.i] === '\\') {
      const c = this.p[this.i + 1] ?? '';
      if (c in PERL) {
        this.i += 2;
        return PERL[c]!;
      }
      if (c.toLowerCase() in PERL) {
        this.i += 2;
        return this.nestedNegation(PERL[c.toLowerCase()]!, negatedOuter, `\\${c}`);
      }
      if (c === 'p' || c === 'P') {
        this.i += 2;
        return this.unicodeClass(c === 'P');
      }
    }
    const lo = this.classChar();
    if (this.p[this.i] === '-' && this.p[this.i + 1] !== ']' && this.p[this.i + 1] !== undefined) {
      this.i++;
      return `${lo}-${this.classChar()}`;
    }
    return lo;
  }

  /** A negated set inside a class: Java nests it (exact from Java 9 on), Python cannot. */
  private nestedNegation(set: string, negatedOuter: boolean, what: string): string {
    if (this.target === 'python') this.refuse(`${what} inside a class`, `Python's re cannot nest classes; write it outside, e.g. (?:[…]|[^${set}])`);
    if (negatedOuter) this.refuse(`${what} inside a negated class`, 'write the complement by hand');
    return `[^${set}]`;
  }

  private classChar(): string {
    const ch = this.p[this.i]!;
    if (ch !== '\\') {
      this.i++;
      return escapeChar(ch, true);
    }
    const c = this.p[this.i + 1];
    if (c === undefined) this.refuse('a trailing backslash', 'escape it as \\\\');
    this.i += 2;
    return this.charEscape(c, true);
  }
}

/**
 * A syntax error in a spec pattern, or undefined. Checked with JavaScript's engine on the syntax
 * it shares with RE2, after rewriting what only RE2 spells so: (?P<name>…) and leading flags.
 */
export function regexSyntaxError(pattern: string): string | undefined {
  const flags = /^\(\?([a-z]+)\)/.exec(pattern);
  const body = (flags ? pattern.slice(flags[0].length) : pattern).replaceAll('(?P<', '(?<');
  try {
    new RegExp(body);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
