import { describe, expect, it } from 'vitest';
import { parseDateFormat, sparkDatePattern } from './dateFormat.js';

describe('strftime formats', () => {
  it('split into literal text and codes; %% is text', () => {
    expect(parseDateFormat('%Y-%m 100%%')).toEqual({ pieces: [{ code: 'Y' }, { text: '-' }, { code: 'm' }, { text: ' 100%' }] });
    expect(parseDateFormat('%Y%q')).toEqual({ error: "'%q' is not a portable strftime code", at: 2 });
  });

  it('become Java patterns with every piece of text quoted (a quote doubled)', () => {
    // hand-written from the DateTimeFormatter docs: letters are fields, '…' is text, '' is a quote
    expect(sparkDatePattern("%Y-%m-%d week '%j'")).toBe("yyyy'-'MM'-'dd' week '''DDD''''");
    expect(sparkDatePattern('%a %d %b %y, %I:%M %p')).toBe("EEE' 'dd' 'MMM' 'yy', 'hh':'mm' 'a");
    expect(sparkDatePattern('%H%M%S.%f%%')).toBe("HHmmss'.'SSSSSS'%'");
  });
});
