/** Regex, contains, counts, case and ending: passing and failing cases, Unicode, and the edges of their parameters. */
import { describe, expect, it } from 'vitest';
import { checkSchema } from '../../src/guardrails/checks/check-schemas.js';
import { runContains } from '../../src/guardrails/checks/contains-words.js';
import { runRegex } from '../../src/guardrails/checks/regex.js';
import { runCount } from '../../src/guardrails/checks/text-counts.js';
import { runEndsWith, runLetterCase } from '../../src/guardrails/checks/text-shape.js';
import { countWords, countWordsBySegmenter } from '../../src/guardrails/text-units.js';
import { check, subject } from './subject.js';

describe('regex', () => {
  it('match: passes when the text matches, fails when it does not', () => {
    const rule = check({ type: 'regex', pattern: '\\bORD-\\d{4}\\b' });
    expect(runRegex(rule, subject('see ORD-1234'))).toEqual({ passed: true, explanation: 'the text matches /\\bORD-\\d{4}\\b/ (1 match)' });
    expect(runRegex(rule, subject('see ORD-12'))).toEqual({ passed: false, explanation: 'the text does not match /\\bORD-\\d{4}\\b/' });
  });

  it('not-match: fails on a match, with the spans of every match in every segment', () => {
    const rule = check({ type: 'regex', pattern: 'ORD-\\d+', not: true, label: 'ORDER' });
    expect(runRegex(rule, subject(['ORD-1 and ORD-22', 'none', 'ORD-3']))).toEqual({
      passed: false,
      explanation: 'the text matches /ORD-\\d+/ (3 matches)',
      spans: [
        { start: 0, end: 5, label: 'ORDER', segment: 0 },
        { start: 10, end: 16, label: 'ORDER', segment: 0 },
        { start: 0, end: 5, label: 'ORDER', segment: 2 },
      ],
    });
    expect(runRegex(rule, subject('clean'))).toEqual({ passed: true, explanation: 'the text does not match /ORD-\\d+/', spans: [] });
  });

  it('flags: i and u change what matches (Unicode classes and case)', () => {
    expect(runRegex(check({ type: 'regex', pattern: 'straße' }), subject('STRASSE')).passed).toBe(false);
    expect(runRegex(check({ type: 'regex', pattern: 'ÉCOLE', flags: 'i' }), subject('une école')).passed).toBe(true);
    expect(runRegex(check({ type: 'regex', pattern: '^\\p{Lu}', flags: 'u' }), subject('Ärger')).passed).toBe(true);
    expect(runRegex(check({ type: 'regex', pattern: '^\\p{Lu}', flags: 'u' }), subject('ärger')).passed).toBe(false);
  });

  it('an empty match counts as a match but has no span to redact', () => {
    const rule = check({ type: 'regex', pattern: '^$', not: true });
    expect(runRegex(rule, subject(''))).toEqual({ passed: false, explanation: 'the text matches /^$/ (1 match)', spans: [] });
  });

  it('refuses a bad pattern or flags, naming the field', () => {
    const bad = checkSchema.safeParse({ type: 'regex', pattern: '(' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['pattern'], message: 'not a valid regular expression' });
    expect(checkSchema.safeParse({ type: 'regex', pattern: 'a', flags: 'gi' }).error!.issues[0]!.path).toEqual(['flags']);
    expect(checkSchema.safeParse({ type: 'regex', pattern: 'a', flags: 'ii' }).error!.issues[0]!.path).toEqual(['flags']);
    expect(checkSchema.safeParse({ type: 'regex', pattern: '\\p{Foo}', flags: 'u' }).error!.issues[0]).toMatchObject({ path: ['pattern'] });
  });
});

describe('contains', () => {
  it('none (the default): fails on a banned word, whole words only and case-insensitive', () => {
    const rule = check({ type: 'contains', words: ['ass', 'Darn'] });
    expect(runContains(rule, subject('The assistant is polite.'))).toEqual({ passed: true, explanation: 'none of the words was found' });
    expect(runContains(rule, subject('DARN it, darn.'))).toEqual({
      passed: false,
      explanation: "found 'Darn'",
      spans: [
        { start: 0, end: 4, label: 'REDACTED', segment: 0 },
        { start: 9, end: 13, label: 'REDACTED', segment: 0 },
      ],
    });
  });

  it('any and all', () => {
    const any = check({ type: 'contains', words: ['refund', 'return'], operator: 'any' });
    expect(runContains(any, subject('I want a refund'))).toEqual({ passed: true, explanation: "found 'refund'" });
    expect(runContains(any, subject('I want a pony'))).toEqual({ passed: false, explanation: 'none of the words was found' });
    const all = check({ type: 'contains', words: ['name', 'date', 'amount'], operator: 'all' });
    expect(runContains(all, subject('name and date'))).toEqual({ passed: false, explanation: "missing 'amount'" });
    expect(runContains(all, subject('name, date, amount'))).toEqual({ passed: true, explanation: 'found every word' });
  });

  it('case_sensitive and whole_words switch off', () => {
    expect(runContains(check({ type: 'contains', words: ['Darn'], case_sensitive: true }), subject('darn')).passed).toBe(true);
    expect(runContains(check({ type: 'contains', words: ['ass'], whole_words: false }), subject('assistant')).passed).toBe(false);
  });

  it('Unicode: accented words have Unicode boundaries, and scripts without spaces match inside text', () => {
    const rule = check({ type: 'contains', words: ['café', '禁止', 'ÜBER'] });
    expect(runContains(rule, subject('cafés are open')).passed).toBe(true);
    expect(runContains(rule, subject('un café noir')).passed).toBe(false);
    expect(runContains(rule, subject('这是禁止的')).passed).toBe(false);
    expect(runContains(rule, subject('über alles')).explanation).toBe("found 'ÜBER'");
  });

  it('words with regex characters are literal, longer words win', () => {
    const rule = check({ type: 'contains', words: ['c++', 'a.b', 'ice', 'ice cream'] });
    expect(runContains(rule, subject('I like ice cream'))).toMatchObject({ passed: false, explanation: "found 'ice cream'", spans: [{ start: 7, end: 16 }] });
    expect(runContains(rule, subject('axb')).passed).toBe(true);
    expect(runContains(rule, subject('learn c++ today')).passed).toBe(false);
  });

  it('lists more than five words found by count', () => {
    const rule = check({ type: 'contains', words: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] });
    expect(runContains(rule, subject('a b c d e f g')).explanation).toBe("found 'a', 'b', 'c', 'd', 'e' and 2 more");
  });

  it('needs at least one non-empty word', () => {
    expect(checkSchema.safeParse({ type: 'contains', words: [] }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'contains', words: [''] }).success).toBe(false);
  });
});

describe('counts', () => {
  it('words, within and outside bounds, with not', () => {
    expect(runCount(check({ type: 'word_count', min: 2, max: 4 }), subject('one two three'))).toEqual({ passed: true, explanation: '3 words; expected between 2 and 4' });
    expect(runCount(check({ type: 'word_count', max: 2 }), subject('one two three'))).toEqual({ passed: false, explanation: '3 words; expected at most 2' });
    expect(runCount(check({ type: 'word_count', min: 1 }), subject('   '))).toEqual({ passed: false, explanation: '0 words; expected at least 1' });
    expect(runCount(check({ type: 'word_count', min: 3, max: 3, not: true }), subject('a b c'))).toEqual({ passed: false, explanation: '3 words; expected outside exactly 3' });
  });

  it('bounds are inclusive', () => {
    const rule = check({ type: 'character_count', min: 3, max: 5 });
    expect(runCount(rule, subject('ab')).passed).toBe(false);
    expect(runCount(rule, subject('abc')).passed).toBe(true);
    expect(runCount(rule, subject('abcde')).passed).toBe(true);
    expect(runCount(rule, subject('abcdef')).passed).toBe(false);
  });

  it('Unicode: CJK words without spaces, contractions, emoji with modifiers and flags as one character', () => {
    expect(runCount(check({ type: 'word_count', max: 100 }), subject('你好世界')).explanation).toBe('2 words; expected at most 100');
    expect(runCount(check({ type: 'word_count', max: 100 }), subject("don't stop 3.14")).explanation).toBe('3 words; expected at most 100');
    expect(runCount(check({ type: 'character_count', max: 100 }), subject('👍🏽🇫🇷é')).explanation).toBe('3 characters; expected at most 100');
    expect(runCount(check({ type: 'character_count', max: 100 }), subject('a\r\nb')).explanation).toBe('3 characters; expected at most 100');
  });

  it('sentences: abbreviations and decimals do not split, other scripts do', () => {
    expect(runCount(check({ type: 'sentence_count', max: 9 }), subject('It costs 3.50 dollars. Really? Yes!')).explanation).toBe('3 sentences; expected at most 9');
    expect(runCount(check({ type: 'sentence_count', max: 9 }), subject('今日は晴れ。明日は雨。')).explanation).toBe('2 sentences; expected at most 9');
  });

  it('segments are counted together (all messages of the input)', () => {
    expect(runCount(check({ type: 'word_count', max: 3 }), subject(['one two', 'three four'])).explanation).toBe('4 words; expected at most 3');
  });

  it('needs a bound, and min not above max', () => {
    expect(checkSchema.safeParse({ type: 'word_count' }).error!.issues[0]).toMatchObject({ path: ['min'], message: 'give min, max or both' });
    expect(checkSchema.safeParse({ type: 'word_count', min: 5, max: 4 }).error!.issues[0]).toMatchObject({ path: ['max'], message: 'max is below min' });
    expect(checkSchema.safeParse({ type: 'word_count', max: -1 }).success).toBe(false);
    expect(checkSchema.safeParse({ type: 'word_count', max: 1.5 }).success).toBe(false);
  });
});

describe('case rules and ending', () => {
  it('upper and lower, ignoring digits and punctuation and letters without case', () => {
    expect(runLetterCase(check({ type: 'letter_case', case: 'upper' }), subject('HELLO, WORLD 42!'))).toEqual({ passed: true, explanation: 'every letter is upper case' });
    expect(runLetterCase(check({ type: 'letter_case', case: 'upper' }), subject('HELLO, World'))).toEqual({ passed: false, explanation: 'not every letter is upper case' });
    expect(runLetterCase(check({ type: 'letter_case', case: 'lower' }), subject('élan vital 東京'))).toMatchObject({ passed: true });
    expect(runLetterCase(check({ type: 'letter_case', case: 'lower' }), subject('Élan'))).toMatchObject({ passed: false });
    expect(runLetterCase(check({ type: 'letter_case', case: 'upper', not: true }), subject('ÉCOLE'))).toMatchObject({ passed: false });
  });

  it('ends with a suffix, allowing a final full stop and trailing space', () => {
    const rule = check({ type: 'ends_with', suffix: 'Thank you' });
    expect(runEndsWith(rule, subject('Done. Thank you.  '))).toEqual({ passed: true, explanation: "the text ends with 'Thank you'" });
    expect(runEndsWith(rule, subject('Thank you, bye'))).toEqual({ passed: false, explanation: "the text does not end with 'Thank you'" });
    expect(runEndsWith(check({ type: 'ends_with', suffix: '🙏', not: true }), subject('merci 🙏'))).toMatchObject({ passed: false });
  });
});

describe('the fast word count agrees with the Unicode segmenter', () => {
  const samples = [
    "don't stop 3.14",
    'e-mail U.S.A. a:b foo_bar',
    'Hello, world! 12,345.67 $5 #tag @user',
    "l'homme c'est aujourd’hui",
    'Ärger über Straße naïve café',
    'Привет, мир! Как дела?',
    'مرحبا بالعالم ٣٤٥',
    'नमस्ते दुनिया',
    '1.2.3 v2.0 x.y.z a.b. c..d e...f',
    "it's 'quoted' 'tis rock'n'roll",
    'snake_case camelCase kebab-case',
    'emoji 👍🏽 ok 🎉 🇫🇷',
    'tab\tnew\nline 3,000 people x=1+2 foo/bar',
    'Ελληνικά κείμενο ὅτι Ἀθῆναι',
    '12:30 a:1 1:a x,y 1,a a,1 1;2',
    "end' 'start a. .5 5. .. A’s B’ ab:cd:ef x·y",
    'wow!!! ok?? über:alles é:1',
  ];

  it('on varied scripts and punctuation', () => {
    for (const sample of samples) expect(countWords(sample), sample).toBe(countWordsBySegmenter(sample));
  });
});
