import { z } from 'zod';
import { ContentError, readYamlFile } from '../content/yamlFile.js';
import { normalise } from './prompts.js';

const FrustrationFile = z.object({
  phrases: z.array(z.string().trim().min(1, 'is empty')).min(1, 'needs at least one phrase'),
  words: z.array(z.string().trim().min(1, 'is empty')).default([]),
  patterns: z.array(z.string().trim().min(1, 'is empty')).default([]),
});

/**
 * Spots a customer who is fed up ("this is useless", "I've tried that already", swearing), from
 * the phrases, words and patterns in `data/frustration.yml` that support staff maintain.
 */
export class FrustrationDetector {
  private readonly phrases: string[];
  private readonly words: Set<string>;
  private readonly patterns: RegExp[];

  constructor(spec: { phrases: string[]; words?: string[]; patterns?: string[] }) {
    if (!spec?.phrases) throw new Error('[FrustrationDetector]: Missing parameter. phrases is required');
    this.phrases = spec.phrases.map(normalise);
    this.words = new Set((spec.words ?? []).map(normalise));
    this.patterns = (spec.patterns ?? []).map((p) => new RegExp(p, 'i'));
  }

  /** Loads and validates the file; a bad entry stops start-up naming the file and key. */
  static load(file: string): FrustrationDetector {
    const data = readYamlFile(file, FrustrationFile);
    data.patterns.forEach((p, i) => { try { new RegExp(p, 'i'); } catch (e) { throw new ContentError(file, `patterns.${i}`, (e as Error).message); } });
    return new FrustrationDetector(data);
  }

  /** True when the text reads as frustrated. */
  test(text: string): boolean {
    const t = ` ${normalise(text)} `;
    if (this.phrases.some((p) => t.includes(` ${p} `))) return true;
    if (t.split(' ').some((w) => w && this.words.has(w))) return true;
    return this.patterns.some((re) => re.test(text));
  }
}
