/**
 * Trained models kept on disk between starts. Training the joint model takes most of a second of
 * start-up (and of every test process and server the suite starts); loading the same model back
 * takes tens of milliseconds.
 *
 * A model is found by a key that covers everything training depends on: the examples and
 * settings, the source of the code that turns text into features and trains (every file of
 * `src/nlu/` and `src/text/`, so any change to it trains anew), the versions of `natural` (its
 * stemmers) and of V8 (the file format). A file that is missing, unreadable or not what its name
 * says is ignored and the model is trained as if there were no cache; writing is atomic
 * (temporary file, then rename), so processes sharing a folder never read half a model.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { TextClassifier, type ClassifierSnapshot, type LabelledText, type TrainOptions } from './classifier.js';

/** Bumped when what is stored changes shape. */
const FORMAT = 1;

/** Models kept per folder: the newest few (an edit of `intents/` makes a new one; older ones go). */
const KEEP = 4;

let codeHash: string | undefined;

/** The source of the NLU and text-matching code as this process runs it (`.ts` under tsx, `.js` once built). */
function trainingCode(): string {
  if (codeHash) return codeHash;
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const hash = createHash('sha256');
  for (const dir of [dirname(here), join(dirname(here), '..', 'text')]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(ext)).sort()) hash.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  }
  const require = createRequire(import.meta.url);
  hash.update(`natural ${(require('natural/package.json') as { version: string }).version}; v8 ${process.versions.v8}; format ${FORMAT}`);
  return (codeHash = hash.digest('hex'));
}

/** The key of the model these examples and settings train. */
export function modelKey(examples: readonly LabelledText[], options: Partial<TrainOptions>): string {
  const hash = createHash('sha256').update(trainingCode()).update(JSON.stringify(options));
  for (const e of examples) hash.update(e.label).update('\0').update(e.text).update('\n');
  return hash.digest('hex').slice(0, 32);
}

interface Stored { key: string; snapshot: ClassifierSnapshot }

/** A folder of trained models. */
export class ModelCache {
  /** Models loaded from the folder and trained (then stored) since this cache was made. */
  readonly stats = { loaded: 0, trained: 0 };

  constructor(readonly dir: string, private readonly onProblem: (problem: string) => void = () => {}) {}

  /** The model `examples` and `options` train: from the folder when it holds it, else trained now and stored. */
  train(examples: LabelledText[], options: Partial<TrainOptions>): TextClassifier {
    const key = modelKey(examples, options);
    const file = join(this.dir, `${key}.model`);
    const cached = this.read(file, key);
    if (cached) { this.stats.loaded++; return cached; }
    const model = TextClassifier.train(examples, options);
    this.stats.trained++;
    this.write(file, key, model);
    return model;
  }

  private read(file: string, key: string): TextClassifier | undefined {
    let bytes: Buffer;
    try { bytes = readFileSync(file); } catch { return undefined; }
    try {
      const stored = deserialize(bytes) as Stored;
      if (stored?.key !== key) throw new Error('it holds another model');
      return TextClassifier.restore(stored.snapshot);
    } catch (err) {
      this.onProblem(`${file} could not be read (${(err as Error).message}); training instead`);
      return undefined;
    }
  }

  private write(file: string, key: string, model: TextClassifier): void {
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, serialize({ key, snapshot: model.snapshot() } satisfies Stored));
      renameSync(temp, file);
      this.prune();
    } catch (err) {
      // a read-only or full disk costs the next start its training time, nothing else
      try { rmSync(temp, { force: true }); } catch { /* there was no folder to write in */ }
      this.onProblem(`the trained model could not be kept in ${this.dir} (${(err as Error).message})`);
    }
  }

  /** Keeps the newest `KEEP` models, and no temporary file left by a process that died writing. */
  private prune(): void {
    // another process may remove a file between the listing and its stat: such a file is skipped
    const entries = readdirSync(this.dir).filter((n) => n.endsWith('.model') || n.endsWith('.tmp'))
      .flatMap((n) => { const at = statSync(join(this.dir, n), { throwIfNoEntry: false })?.mtimeMs; return at === undefined ? [] : [{ path: join(this.dir, n), model: n.endsWith('.model'), at }]; })
      .sort((a, b) => b.at - a.at);
    const old = Date.now() - 10 * 60_000;
    entries.filter((e) => e.model).slice(KEEP).forEach((e) => rmSync(e.path, { force: true }));
    entries.filter((e) => !e.model && e.at < old).forEach((e) => rmSync(e.path, { force: true }));
  }
}
