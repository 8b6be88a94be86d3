/**
 * SKU detection: which price-list items an enquiry talks about, each with a confidence 0-100.
 * Pure. Text and keywords go through the same normalisation (case, punctuation, US spellings,
 * plurals); a keyword phrase matches when its words appear in order, close together, each word
 * exactly or within a small edit distance (typos), or for two-word phrases in either order.
 */

export type SkuKeywords = { code: string; keywords: string[] };
export type Detection = { code: string; confidence: number; quantity: number; matched: string };

const US_TO_UK: Record<string, string> = {
  faucet: 'tap',
  faucets: 'tap',
  color: 'colour',
  mold: 'mould',
  moldy: 'mouldy',
  drywall: 'plasterboard',
  gray: 'grey',
  tvs: 'tv',
  telly: 'tv',
  television: 'tv',
  closet: 'wardrobe',
  trashcan: 'bin',
  yard: 'garden',
};
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  couple: 2,
  pair: 2,
  few: 3,
  several: 3,
};

export function singular(word: string): string {
  if (word.length <= 3 || word.endsWith('ss')) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ves')) return `${word.slice(0, -3)}f`;
  if (/(ch|sh|x|s)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

export function normalise(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => singular(US_TO_UK[w] ?? w));
}

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** How well a text word stands for a keyword word: 1 exact, less for typos, 0 for no match. */
export function wordSimilarity(text: string, keyword: string): number {
  if (text === keyword) return 1;
  // Typos rarely hit the first letter; requiring it keeps 'look' from matching 'hook'.
  if (keyword.length < 4 || text.length < 3 || text[0] !== keyword[0]) return 0;
  const dist = editDistance(text, keyword, 2);
  if (dist === 1) return 0.85;
  if (dist === 2 && keyword.length >= 7) return 0.7;
  return 0;
}

const MAX_GAP = 2;

type PhraseMatch = { score: number; start: number; end: number };

/** Best match of one keyword phrase in the text, or null. */
function matchPhrase(words: string[], phrase: string[]): PhraseMatch | null {
  let best: PhraseMatch | null = null;
  const orders = phrase.length === 2 ? [phrase, [phrase[1]!, phrase[0]!]] : [phrase];
  orders.forEach((order, reversed) => {
    for (let start = 0; start < words.length; start++) {
      let sim = wordSimilarity(words[start]!, order[0]!);
      if (sim === 0) continue;
      let score = sim;
      let pos = start;
      let ok = true;
      for (let k = 1; k < order.length && ok; k++) {
        ok = false;
        for (let gap = 0; gap <= MAX_GAP && pos + 1 + gap < words.length; gap++) {
          sim = wordSimilarity(words[pos + 1 + gap]!, order[k]!);
          if (sim > 0) {
            score *= sim * 0.95 ** gap;
            pos += 1 + gap;
            ok = true;
            break;
          }
        }
      }
      if (!ok) continue;
      // Single words are less specific than phrases; reversed word order is slightly less sure.
      if (order.length === 1) score *= 0.9;
      if (reversed) score *= 0.9;
      if (!best || score > best.score) best = { score, start, end: pos };
    }
  });
  return best;
}

/** A number just before or inside the matched words ("3 leaking taps", "mount 2 TVs"). */
function quantityNear(words: string[], start: number, end: number): number {
  for (let i = end - 1; i >= Math.max(0, start - 3); i--) {
    const w = words[i]!;
    if (/^\d{1,2}$/.test(w)) return Math.min(20, Math.max(1, Number(w)));
    if (w in NUMBER_WORDS) return NUMBER_WORDS[w]!;
  }
  return 1;
}

export const MIN_CONFIDENCE = 50;

/** Detections at or above MIN_CONFIDENCE, most confident first; overlapping matches keep the best. */
export function detectSkus(text: string, catalog: SkuKeywords[]): Detection[] {
  return detectSpans(normalise(text), catalog).map(({ code, confidence, quantity, matched }) => ({ code, confidence, quantity, matched }));
}

/**
 * Things a customer asks a handyman about, one job each (normalised, singular). Rooms and
 * surfaces ("kitchen", "wall", "floor") are left out: they say where, not what. A detection that
 * is wrongly thought partial costs a human look; one wrongly thought whole costs a wrong price.
 */
const JOB_OBJECTS = new Set(
  (
    'door window radiator boiler wardrobe shelf tap toilet cistern sink basin bath shower socket switch light fan ' +
    'fence gate gutter lock blind curtain tv mirror picture floorboard tile cupboard cabinet worktop skirting staircase ' +
    'stair banister shed decking carpet wallpaper drawer table chair bed hook dishwasher doorbell pipe drain roof extractor alarm'
  ).split(' '),
);

/** Words that make the next thing named a place ("grout in the shower", "next to the toilet"). */
const LOCATIVES = new Set('in on next near by behind under above beside around round over from'.split(' '));
/** "light grey" is a colour, not a light fitting. */
const SHADES = new Set('grey blue green brown pink yellow cream oak wood colour coloured shade'.split(' '));

/** Whether the word at i names a thing to be worked on, not a place or a colour. */
function namesAJob(words: string[], i: number): boolean {
  if (!JOB_OBJECTS.has(words[i]!)) return false;
  if (words.slice(Math.max(0, i - 3), i).some((w) => LOCATIVES.has(w))) return false;
  return !SHADES.has(words[i + 1] ?? '');
}

/**
 * Detections, and the things the enquiry names that none of them covers ("3 doors hung and a
 * shelf put up" finds the shelf only: `door` is uncovered). A thing is covered when it lies in a
 * detection's matched words or is a word of a detected SKU's keywords ("assemble an IKEA
 * wardrobe"). An instant quote is only safe when nothing is uncovered: otherwise it would
 * quote part of the job as the whole.
 */
export function detectWithCoverage(text: string, catalog: SkuKeywords[]): { detections: Detection[]; uncovered: string[] } {
  const words = normalise(text);
  const spans = detectSpans(words, catalog);
  const detected = new Set(spans.map((d) => d.code));
  const vocabulary = new Set(catalog.filter((k) => detected.has(k.code)).flatMap((k) => k.keywords.flatMap(normalise)));
  const uncovered = new Set<string>();
  words.forEach((w, i) => {
    if (vocabulary.has(w) || !namesAJob(words, i)) return;
    if (!spans.some((d) => d.start <= i && i <= d.end)) uncovered.add(w);
  });
  return {
    detections: spans.map(({ code, confidence, quantity, matched }) => ({ code, confidence, quantity, matched })),
    uncovered: [...uncovered],
  };
}

function detectSpans(words: string[], catalog: SkuKeywords[]) {
  const found: (Detection & { start: number; end: number; length: number })[] = [];
  for (const sku of catalog) {
    let best: (PhraseMatch & { keyword: string; length: number }) | null = null;
    for (const keyword of sku.keywords) {
      const phrase = normalise(keyword);
      if (phrase.length === 0) continue;
      const m = matchPhrase(words, phrase);
      if (m && (!best || m.score > best.score || (m.score === best.score && phrase.length > best.length))) {
        best = { ...m, keyword, length: phrase.length };
      }
    }
    if (!best) continue;
    const confidence = Math.round(100 * best.score);
    if (confidence < MIN_CONFIDENCE) continue;
    found.push({
      code: sku.code,
      confidence,
      quantity: quantityNear(words, best.start, best.end),
      matched: best.keyword,
      start: best.start,
      end: best.end,
      length: best.length,
    });
  }
  // When two SKUs claim the same words, the longer (more specific) phrase, then the surer one, wins.
  found.sort((a, b) => b.length - a.length || b.confidence - a.confidence);
  const kept: typeof found = [];
  for (const f of found) {
    const overlaps = kept.some((k) => f.start <= k.end && k.start <= f.end && k.length > f.length);
    if (!overlaps) kept.push(f);
  }
  return kept.sort((a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code));
}
