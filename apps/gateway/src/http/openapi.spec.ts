import { NUL_FREE } from '../../../../libs/contracts/src/validation.js';
import { combinePatterns, trimmedLengthPattern } from './openapi.js';

/** The patterns the document states, read as JSON Schema reads them (a search, not a full match). */
const accepts = (pattern: string, text: string) => new RegExp(pattern, 'u').test(text);

describe('OpenAPI patterns', () => {
  it('states a trimmed text’s length on the text as sent', () => {
    const name = trimmedLengthPattern(1, 5);
    expect(['a', '  a  ', 'abcde', ' \t abcde \n', 'a b c'].filter((t) => !accepts(name, t))).toEqual([]);
    expect(['', '   ', '\u3000\ufeff', 'abcdef', ' abc def '].filter((t) => accepts(name, t))).toEqual([]);
    const query = trimmedLengthPattern(0, 3);
    expect(['', '   ', ' abc ', 'a'].every((t) => accepts(query, t))).toBe(true);
    expect(accepts(query, 'abcd')).toBe(false);
    const long = trimmedLengthPattern(2);
    expect([accepts(long, ' a '), accepts(long, ' ab '), accepts(long, 'a'.repeat(1000))]).toEqual([false, true, true]);
  });

  it('combines every pattern of a field into one that requires them all', () => {
    const nameRule = combinePatterns([trimmedLengthPattern(1, 100), NUL_FREE.source])!;
    expect(accepts(nameRule, ' Ada ')).toBe(true);
    expect(accepts(nameRule, '   ')).toBe(false);
    expect(accepts(nameRule, 'A\u0000da')).toBe(false);
    const both = combinePatterns(['^[A-Z]{3}$', '^[^X]*$', '^[^\\u0000]*$'])!;
    expect(['EUR', 'USD'].every((t) => accepts(both, t))).toBe(true);
    expect(['XAU', 'eur', 'EURO'].some((t) => accepts(both, t))).toBe(false);
    // Unanchored patterns keep JSON Schema's meaning (found anywhere).
    const anywhere = combinePatterns(['a', 'b'])!;
    expect([accepts(anywhere, 'xbxa'), accepts(anywhere, 'xa')]).toEqual([true, false]);
    expect(combinePatterns([NUL_FREE.source])).toBe(NUL_FREE.source);
    expect(combinePatterns([])).toBeUndefined();
  });
});
