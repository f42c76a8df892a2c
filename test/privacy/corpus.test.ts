import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { redact, SECRET_KINDS, type SecretKind } from '../../src/privacy/redact.js';
import { redactInContext, type PrivacyMemory } from '../../src/privacy/contextualSecrets.js';
import { loadIntents } from '../../src/nlu/intents.js';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';

interface SecretCase { text: string; kind: SecretKind; hidden: string[]; out?: string }
interface Conversation { name: string; turns: Array<[typed: string, stored: string]> }
interface Corpus { secrets: SecretCase[]; untouched: string[]; conversations: Conversation[] }

const corpus = parse(readFileSync(new URL('../fixtures/redaction-corpus.yml', import.meta.url), 'utf8')) as Corpus;

describe('redaction corpus (test/fixtures/redaction-corpus.yml)', () => {
  it('holds at least 150 phrasings, each secret with its kind and what must go', () => {
    expect(corpus.secrets.length + corpus.untouched.length).to.be.at.least(150);
    for (const s of corpus.secrets) {
      expect(SECRET_KINDS, s.text).to.include(s.kind);
      expect(s.hidden, s.text).to.be.an('array').that.is.not.empty;
      for (const h of s.hidden) expect(s.text, 'a hidden piece must be in the text').to.include(String(h));
    }
    expect(new Set(corpus.untouched).size, 'no duplicates').to.equal(corpus.untouched.length);
  });

  describe('secrets that must go', () => {
    for (const s of corpus.secrets) {
      it(`${s.kind}: ${JSON.stringify(s.text)}`, () => {
        const r = redact(s.text);
        expect(r.found, r.text).to.include(s.kind);
        for (const h of s.hidden) expect(r.text, `"${h}" survived`).to.not.include(String(h));
        expect(r.text).to.include(`[REDACTED:${s.kind}]`);
        if (s.out !== undefined) expect(r.text).to.equal(s.out);
        expect(redact(r.text).text, 'redacting again changes nothing').to.equal(r.text);
      });
    }
  });

  describe('ordinary messages that must stay exactly as typed', () => {
    for (const text of corpus.untouched) {
      it(JSON.stringify(text), () => {
        expect(redact(String(text))).to.deep.equal({ text: String(text), found: [] });
      });
    }
  });

  describe('conversations: what an earlier message says about the next', () => {
    for (const c of corpus.conversations) {
      it(c.name, () => {
        let memory: PrivacyMemory = {};
        const stored = c.turns.map(([typed]) => {
          const r = redactInContext(typed, memory);
          memory = r.memory;
          return r.text;
        });
        expect(stored).to.deep.equal(c.turns.map(([, s]) => s));
      });
    }
  });

  describe('what real customers write (every phrasing in intents/ and the held-out set)', () => {
    const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings)
      : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
    const phrasings = [
      ...loadIntents('intents').flatMap((d) => d.examples),
      ...strings(parse(readFileSync(new URL('../fixtures/nlu-heldout.yml', import.meta.url), 'utf8'))),
    ];

    it('has thousands of phrasings to read', () => expect(phrasings.length).to.be.greaterThan(1000));

    it('redacts none of them (none holds a secret)', () => {
      expect(phrasings.filter((t) => redact(t).text !== t)).to.deep.equal([]);
    });

    it('redacts none of the bot\'s own replies (transcripts redact both sides)', () => {
      const content = Content.load(loadConfig({}).contentDir);
      const replies = content.keys().flatMap((key) => content.list(key));
      expect(replies.length).to.be.greaterThan(100);
      expect(replies.filter((t) => redact(t).text !== t)).to.deep.equal([]);
    });

    it('takes none of them for an announcement, nor for a password right after sign-in talk', () => {
      expect(phrasings.filter((t) => redactInContext(t).memory.expect !== undefined)).to.deep.equal([]);
      expect(phrasings.filter((t) => redactInContext(t, { signInTalk: 2 }).fromContext)).to.deep.equal([]);
    });
  });
});
