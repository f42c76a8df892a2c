import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_LANGUAGE, LANGUAGES } from '../content/languages.js';
import { ContentError, readYamlFile } from '../content/yamlFile.js';
import { matchKey } from '../text/matching.js';

const FrustrationFile = z.object({
  phrases: z.array(z.string().trim().min(1, 'is empty')).min(1, 'needs at least one phrase'),
  words: z.array(z.string().trim().min(1, 'is empty')).default([]),
  patterns: z.array(z.string().trim().min(1, 'is empty')).default([]),
});

/**
 * Spots a customer who is fed up ("this is useless", "ya lo intenté", swearing), from the phrases,
 * words and patterns in `data/frustration.yml` and its Spanish twin `data/es/frustration.yml` that
 * support staff maintain.
 */
export class FrustrationDetector {
  private readonly phrases: string[];
  private readonly words: Set<string>;
  private readonly patterns: RegExp[];

  constructor(spec: { phrases: string[]; words?: string[]; patterns?: string[] }) {
    if (!spec?.phrases) throw new Error('[FrustrationDetector]: Missing parameter. phrases is required');
    this.phrases = spec.phrases.map(matchKey);
    this.words = new Set((spec.words ?? []).map(matchKey));
    this.patterns = (spec.patterns ?? []).map((p) => new RegExp(p, 'i'));
  }

  /**
   * Loads and validates the file, and each other language's twin beside it (`<dir>/es/frustration.yml`,
   * the same layout as the messages); a bad entry stops start-up naming the file and key. Every
   * language's list counts in every conversation: customers mix languages ("esto es useless"), and
   * a phrase that is frustration in one language is not a request in the other.
   */
  static load(file: string): FrustrationDetector {
    const files = [file, ...LANGUAGES.filter((l) => l !== DEFAULT_LANGUAGE).map((l) => join(dirname(file), l, basename(file))).filter((f) => existsSync(f))];
    const all = files.map((f) => {
      const data = readYamlFile(f, FrustrationFile);
      data.patterns.forEach((p, i) => { try { new RegExp(p, 'i'); } catch (e) { throw new ContentError(f, `patterns.${i}`, (e as Error).message); } });
      return data;
    });
    return new FrustrationDetector({ phrases: all.flatMap((d) => d.phrases), words: all.flatMap((d) => d.words), patterns: all.flatMap((d) => d.patterns) });
  }

  /** True when the text reads as frustrated. */
  test(text: string): boolean {
    const t = ` ${matchKey(text)} `;
    if (this.phrases.some((p) => t.includes(` ${p} `))) return true;
    if (t.split(' ').some((w) => w && this.words.has(w))) return true;
    return this.patterns.some((re) => re.test(text));
  }
}
