/**
 * Turns a sentence into weighted lexical features for the offline embedder:
 * words (normalized: case, contractions, number words, British spelling,
 * light stemming), pairs of consecutive content words, prepositions with the
 * word they govern, and character n-grams of the content words. Function
 * words weigh little, common words less than rare ones; numbers, negations and
 * capitalized names weigh much, so that "in Paris" against "in Lyon", "5 km"
 * against "50 km", "with" against "without" or "MySQL to PostgreSQL" against
 * "PostgreSQL to MySQL" pull two sentences apart. It is lexical: it knows no
 * synonyms.
 */
import { encode } from 'gpt-tokenizer';

export interface FeatureWeights {
  /** A content word. */
  readonly word: number;
  /** A function word (the, is, how, please...). */
  readonly functionWord: number;
  /** A number, or a negation (not, no, never, without). */
  readonly salient: number;
  /** A capitalized word inside a sentence: a likely name. */
  readonly name: number;
  /** Two consecutive content words (function words skipped), which keeps some order. */
  readonly pair: number;
  /** All the character 3- and 4-grams of one content word together. */
  readonly characters: number;
  /** A preposition and the word it governs ("to:tuple", "from:mysql"), which keeps direction. */
  readonly relation: number;
  /** How much a word's rarity counts: 0 weighs every content word alike, 1 weighs common words down the most. */
  readonly rarity: number;
}

export const defaultFeatureWeights: FeatureWeights = { word: 1, functionWord: 0.3, salient: 2, name: 1.6, pair: 1, characters: 0.5, relation: 0.5, rarity: 0.6 };

export interface Feature {
  readonly text: string;
  readonly weight: number;
}

const functionWords = new Set(
  (
    'a an the is are was were be been being am do does did done doing have has had having i me my mine we us our you your yours he him his she her it its ' +
    'they them their this that these those there here what which who whom whose when where why how whether if then than so as at by for from in into on onto of ' +
    'to with about over under up out and or but can could would should shall will may might must let please thanks thank tell explain describe give show ' +
    'help just really actually exactly some any all also very much more most such own same other way get got make made know want need like one ones'
  ).split(' '),
);

const negations = new Set(['not', 'no', 'never', 'without', 'nor', 'none', 'cannot', 'neither']);

const numberWords: Readonly<Record<string, string>> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17', eighteen: '18', nineteen: '19',
  twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80', ninety: '90', hundred: '100', thousand: '1000', million: '1000000',
  first: '1st', second: '2nd', third: '3rd', fourth: '4th', fifth: '5th', sixth: '6th', seventh: '7th', eighth: '8th', ninth: '9th', tenth: '10th',
};

const romanNumerals: Readonly<Record<string, string>> = { II: '2', III: '3', IV: '4', VI: '6', VII: '7', VIII: '8', IX: '9', XI: '11', XII: '12' };

const contractions: readonly (readonly [RegExp, string])[] = [
  [/\bcan['’]t\b/g, 'can not'],
  [/\bwon['’]t\b/g, 'will not'],
  [/\bshan['’]t\b/g, 'shall not'],
  [/n['’]t\b/g, ' not'],
  [/\bi['’]m\b/g, 'i am'],
  [/['’]re\b/g, ' are'],
  [/['’]ve\b/g, ' have'],
  [/['’]ll\b/g, ' will'],
  [/['’]d\b/g, ' would'],
  [/\blet['’]s\b/g, 'let us'],
  [/\b(it|that|what|where|who|how|there|here|he|she|when|why)['’]s\b/g, '$1 is'],
  [/['’]s\b/g, ''],
];

/**
 * Crude suffix stripping and British-to-American spelling, applied alike to
 * both sides, so "maps"/"map", "working"/"work" and "colour"/"color" meet.
 */
export function stem(input: string): string {
  if (/\d/.test(input) || input.length <= 3) return input;
  let word = input;
  if (word.length > 5) word = word.replace(/is(e|ed|es|ing)$/, 'iz$1').replace(/our(s?)$/, 'or$1');
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(ch|sh|x|ss|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

interface Token {
  readonly word: string;
  readonly kind: 'word' | 'function' | 'salient' | 'name';
  /** 0 (very common) to 1 (rare), for content words. */
  readonly rarity: number;
}

/** Prepositions that give direction or order; "in", "of" and "with" are left out, as paraphrases swap them freely. */
const relationWords = new Set(['to', 'from', 'into', 'in', 'than', 'before', 'after', 'over', 'under']);

/**
 * A word's rarity from its rank in the o200k byte-pair vocabulary: BPE merges
 * frequent words first, so a low token id means a common word, and a word
 * the vocabulary must split is rare. An offline stand-in for IDF.
 */
const rarityCache = new Map<string, number>();
const largestRank = Math.log(200_000);
export function rarityOf(word: string): number {
  const known = rarityCache.get(word);
  if (known !== undefined) return known;
  const ids = encode(` ${word}`);
  const rarity = ids.length === 1 ? Math.min(1, Math.log(Math.max(ids[0]!, 1)) / largestRank) : 1;
  if (rarityCache.size > 50_000) rarityCache.clear();
  rarityCache.set(word, rarity);
  return rarity;
}

function classify(word: string, capitalizedInside: boolean): Token {
  const number = numberWords[word];
  if (number !== undefined) return { word: number, kind: 'salient', rarity: 1 };
  if (negations.has(word)) return { word: 'not', kind: 'salient', rarity: 1 };
  if (/\d/.test(word)) return { word, kind: 'salient', rarity: 1 };
  if (functionWords.has(word)) return { word, kind: 'function', rarity: 0 };
  const stemmed = stem(word);
  return { word: stemmed, kind: capitalizedInside ? 'name' : 'word', rarity: rarityOf(stemmed) };
}

function expandContraction(word: string): string[] {
  let expanded = word;
  for (const [pattern, replacement] of contractions) expanded = expanded.replace(pattern, replacement);
  return expanded.replace(/'/g, '').split(' ').filter((part) => part !== '');
}

function tokenize(input: string): Token[] {
  let text = input.normalize('NFKC').replace(/[‘’`]/g, "'");
  text = text.replace(/\b(II|III|IV|VI|VII|VIII|IX|XI|XII)\b/g, (numeral: string) => romanNumerals[numeral]!);
  text = text.replace(/(\d),(\d{3})\b/g, '$1$2').replace(/%/g, ' percent ').replace(/\$/g, ' dollar ').replace(/€/g, ' euro ').replace(/£/g, ' pound ');
  const tokens: Token[] = [];
  const pattern = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
  let sentenceStart = true;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (/[.!?:;]/.test(text.slice(last, match.index))) sentenceStart = true;
    const original = match[0];
    last = match.index + original.length;
    const parts = expandContraction(original.toLowerCase());
    // A capitalized word that does not start a sentence is likely a name ("I" is not).
    const capitalizedInside = !sentenceStart && parts.length === 1 && /^\p{Lu}/u.test(original) && original !== 'I';
    sentenceStart = false;
    for (const part of parts) tokens.push(classify(part, capitalizedInside));
  }
  return tokens;
}

function characterGrams(word: string): string[] {
  const padded = `^${word}$`;
  const grams: string[] = [];
  for (const size of [3, 4]) for (let start = 0; start + size <= padded.length; start += 1) grams.push(padded.slice(start, start + size));
  return grams;
}

export function textFeatures(text: string, weights: FeatureWeights = defaultFeatureWeights): Feature[] {
  const tokens = tokenize(text);
  const features: Feature[] = [];
  const rarityFactor = (token: Token): number => 1 - weights.rarity + weights.rarity * token.rarity;
  const weightOf = (token: Token): number =>
    token.kind === 'function' ? weights.functionWord : token.kind === 'salient' ? weights.salient : (token.kind === 'name' ? weights.name : weights.word) * rarityFactor(token);
  for (const [index, token] of tokens.entries()) {
    features.push({ text: `w:${token.word}`, weight: weightOf(token) });
    if (token.kind === 'word' || token.kind === 'name') {
      const grams = characterGrams(token.word);
      const each = (weights.characters * rarityFactor(token)) / Math.sqrt(grams.length);
      for (const gram of grams) features.push({ text: `c:${gram}`, weight: each });
    }
    if (token.kind === 'function' && relationWords.has(token.word)) {
      const governed = tokens.slice(index + 1, index + 4).find((next) => next.kind !== 'function');
      if (governed) features.push({ text: `r:${token.word}:${governed.word}`, weight: weights.relation });
    }
  }
  const content = tokens.filter((token) => token.kind !== 'function');
  for (let index = 0; index + 1 < content.length; index += 1) {
    features.push({ text: `p:${content[index]!.word} ${content[index + 1]!.word}`, weight: weights.pair });
  }
  return features;
}
