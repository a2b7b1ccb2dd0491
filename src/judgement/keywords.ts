// Per-category keyword families (data/judgement/categories/*.yaml): the words by which people
// name a failure class in prose, titles and links when no error signature matches.
import type { Category } from '../domain/vocabulary.ts';

export interface KeywordFamily {
  category: Category;
  patterns: RegExp[];
}
export type KeywordFamilies = KeywordFamily[];

/** Per category: hits in the title (0/1 per pattern, log-scaled) and distinct patterns in the text. */
export function keywordScores(families: KeywordFamilies, title: string, text: string): Map<Category, { title: number; text: number }> {
  const out = new Map<Category, { title: number; text: number }>();
  const t = title.toLowerCase();
  const body = text.toLowerCase();
  for (const fam of families) {
    let inTitle = 0;
    let inText = 0;
    for (const p of fam.patterns) {
      if (p.test(t)) inTitle++;
      if (p.test(body)) inText++;
    }
    if (inTitle || inText) out.set(fam.category, { title: Math.log1p(inTitle), text: Math.log1p(inText) / 2 });
  }
  return out;
}
