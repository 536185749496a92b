import { describe, expect, it } from 'vitest';
import { parseJsonPath, PartialArgsWriter } from '../../../src/providers/gemini/partial-args.js';

describe('partialArgs JSON writer', () => {
  it('parses dotted, indexed and quoted JSON paths', () => {
    expect(parseJsonPath('$.recipe.ingredients[0].name')).toEqual(['recipe', 'ingredients', 0, 'name']);
    expect(parseJsonPath("$['a b'].c[12]")).toEqual(['a b', 'c', 12]);
    expect(parseJsonPath('$["x.y"]')).toEqual(['x.y']);
  });

  it('writes scalars of every kind, scalar arrays and escapes split strings', () => {
    const writer = new PartialArgsWriter();
    const pieces = [
      writer.write([{ jsonPath: '$.text', stringValue: 'say "hi', willContinue: true }]),
      writer.write([{ jsonPath: '$.text', stringValue: '"\n', willContinue: true }]),
      writer.write([{ jsonPath: '$.text', stringValue: '' }]),
      writer.write([
        { jsonPath: '$.flag', boolValue: false },
        { jsonPath: '$.none', nullValue: 'NULL_VALUE' },
        { jsonPath: '$.tags[0]', stringValue: 'a' },
        { jsonPath: '$.tags[1]', stringValue: 'b', willContinue: true },
      ]),
      writer.write([{ jsonPath: '$.n', numberValue: -1.5 }]),
      writer.finish(),
    ];
    const text = pieces.join('');
    expect(text).toBe('{"text":"say \\"hi\\"\\n","flag":false,"none":null,"tags":["a","b"],"n":-1.5}');
    expect(JSON.parse(text)).toEqual({ text: 'say "hi"\n', flag: false, none: null, tags: ['a', 'b'], n: -1.5 });
  });

  it('closes every open container at the end, and writes {} when nothing came', () => {
    const writer = new PartialArgsWriter();
    const text = writer.write([{ jsonPath: '$.a.b[0].c', stringValue: 'deep', willContinue: true }]) + writer.finish();
    expect(text).toBe('{"a":{"b":[{"c":"deep"}]}}');
    expect(new PartialArgsWriter().finish()).toBe('{}');
  });
});
