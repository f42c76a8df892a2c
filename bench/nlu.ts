/**
 * `npm run bench:nlu`: our intent classifier against `natural`'s BayesClassifier and NLP.js on
 * BANKING77, CLINC150 (with out-of-scope) and the three Braun et al. 2017 corpora, in one run on
 * this machine, plus the start-up training time of the domain model. Writes bench/results/nlu.md.
 *
 * Nothing is tuned on a test split: CLINC's out-of-scope threshold is chosen on its validation
 * split (val + oos_val) for every model, and our training settings were chosen on held-out parts of
 * the training sets and on CLINC's validation split.
 *
 *   npm run bench:nlu                               everything (several minutes)
 *   npm run bench:nlu -- --datasets banking77 --models ours    a quick partial run (not written)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, loadConfig } from '../src/config.js';
import { TextClassifier, type LabelledText, type TrainOptions } from '../src/nlu/classifier.js';
import { OOS_LABEL, readBraun, readClinc, readCsvDataset, readIntentsDir } from '../src/nlu/offline/datasets.js';
import { applyThreshold, crossValidate, oosReport, report, suggestThreshold, textClassifierTrainer, type Prediction, type Scored } from '../src/nlu/evaluation.js';
import { DOMAIN_TRAIN } from '../src/nlu/recognizer.js';
import { trainNaturalBayes, trainNlpJs } from './baselines.js';

const DATA = resolve(process.env.DATASETS_DIR ?? join(ROOT, '..', 'shared', 'datasets'));

/** Our settings for the benchmark sets; on CLINC150 `oos` gets a larger weight (see results for why). */
export const OURS: Partial<TrainOptions> = { solver: 'svm', temperature: 0.2 };
export const OURS_CLINC: Partial<TrainOptions> = { solver: 'svm', temperature: 0.2, classWeight: { [OOS_LABEL]: 3 } };

interface Dataset { name: string; train: LabelledText[]; test: LabelledText[]; val?: LabelledText[] }

function datasets(only: string[] | undefined): Dataset[] {
  const all: Array<[string, () => Dataset]> = [
    ['banking77', () => ({ name: 'BANKING77', train: readCsvDataset(join(DATA, 'banking77/train.csv')), test: readCsvDataset(join(DATA, 'banking77/test.csv')) })],
    ['clinc150', () => {
      const c = readClinc(join(DATA, 'clinc150/data_full.json'));
      return { name: 'CLINC150', train: [...c.train, ...c.oosTrain], val: [...c.val, ...c.oosVal], test: [...c.test, ...c.oosTest] };
    }],
    ['chatbot', () => ({ name: 'Braun Chatbot', ...readBraun(join(DATA, 'braun2017/ChatbotCorpus.json')) })],
    ['askubuntu', () => ({ name: 'Braun AskUbuntu', ...readBraun(join(DATA, 'braun2017/AskUbuntuCorpus.json')) })],
    ['webapps', () => ({ name: 'Braun WebApps', ...readBraun(join(DATA, 'braun2017/WebApplicationsCorpus.json')) })],
  ];
  return all.filter(([k]) => !only || only.includes(k)).map(([, f]) => f());
}

interface Row {
  dataset: string; model: string; accuracy: number; macroF1: number; trainSeconds: number; medianMicros: number; sizeBytes: number;
  inScopeNoThreshold?: number; threshold?: number; inScope?: number; oosRecall?: number; valInScope?: number; valOosRecall?: number;
  /** The same at the threshold that maximises in-scope accuracy + OOS recall on val. */
  balanced?: { threshold: number; inScope: number; oosRecall: number };
}

/** The operating point asked of the bot: catch at least this share of out-of-scope messages (chosen on val). */
const MIN_OOS_RECALL = 0.8;

type Predict = (text: string) => Prediction | Promise<Prediction>;

async function score(predict: Predict, test: LabelledText[]): Promise<{ rows: Scored[]; medianMicros: number }> {
  const times: number[] = [];
  const rows: Scored[] = [];
  for (const e of test) {
    const t0 = performance.now();
    const p = await predict(e.text);
    times.push((performance.now() - t0) * 1000);
    rows.push({ text: e.text, gold: e.label, predicted: p.label, score: p.score });
  }
  times.sort((a, b) => a - b);
  return { rows, medianMicros: times[Math.floor(times.length / 2)] };
}

async function trainModel(model: string, d: Dataset): Promise<{ predict: Predict; sizeBytes: number; trainSeconds: number }> {
  const t0 = performance.now();
  if (model === 'ours') {
    const m = TextClassifier.train(d.train, d.name === 'CLINC150' ? OURS_CLINC : OURS);
    const trainSeconds = (performance.now() - t0) / 1000;
    const predict = (text: string): Prediction => {
      const p = m.probabilities(m.featurizer.transform(text));
      let best = 0;
      for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
      return { label: m.labels[best], score: p[best] };
    };
    return { predict, sizeBytes: m.sizeBytes + m.featurizer.sizeBytes, trainSeconds };
  }
  if (model === 'natural') {
    const m = trainNaturalBayes(d.train);
    const trainSeconds = (performance.now() - t0) / 1000;
    return { predict: (t) => m.predict(t), sizeBytes: m.sizeBytes(), trainSeconds };
  }
  const m = await trainNlpJs(d.train, OOS_LABEL);
  const trainSeconds = (performance.now() - t0) / 1000;
  return { predict: (t) => m.predictAsync(t), sizeBytes: m.sizeBytes(), trainSeconds };
}

const MODEL_NAMES: Record<string, string> = { ours: 'ours (TF-IDF + one-vs-rest SVM)', natural: 'natural BayesClassifier', nlpjs: 'NLP.js NlpManager' };

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { datasets: { type: 'string' }, models: { type: 'string' }, out: { type: 'string' } } });
  const only = args.datasets?.split(',');
  const models = args.models?.split(',') ?? ['ours', 'natural', 'nlpjs'];
  const full = !only && !args.models;
  const started = new Date();
  const load0 = loadavg();
  const t00 = performance.now();
  const results: Row[] = [];
  for (const d of datasets(only)) {
    for (const model of models) {
      process.stderr.write(`${d.name} / ${model}: training on ${d.train.length}… `);
      const m = await trainModel(model, d);
      const { rows, medianMicros } = await score(m.predict, d.test);
      const r = report(rows);
      const row: Row = { dataset: d.name, model, accuracy: r.accuracy, macroF1: r.macroF1, trainSeconds: m.trainSeconds, medianMicros, sizeBytes: m.sizeBytes };
      if (d.val) {
        const isOos = (l: string) => l === OOS_LABEL;
        const inScope = rows.filter((x) => !isOos(x.gold));
        row.inScopeNoThreshold = inScope.filter((x) => x.predicted === x.gold).length / inScope.length;
        const { rows: valRows } = await score(m.predict, d.val);
        const s = suggestThreshold(valRows, isOos, MIN_OOS_RECALL);
        const t = oosReport(rows, s.threshold, isOos);
        Object.assign(row, { threshold: s.threshold, inScope: t.inScopeAccuracy, oosRecall: t.oosRecall, valInScope: s.inScopeAccuracy, valOosRecall: s.oosRecall });
        const sb = suggestThreshold(valRows, isOos);
        const tb = oosReport(rows, sb.threshold, isOos);
        row.balanced = { threshold: sb.threshold, inScope: tb.inScopeAccuracy, oosRecall: tb.oosRecall };
        // accuracy and macro-F1 over all 151 labels at the chosen threshold
        const th = report(applyThreshold(rows, s.threshold, OOS_LABEL));
        row.accuracy = th.accuracy; row.macroF1 = th.macroF1;
      }
      results.push(row);
      process.stderr.write(`acc ${(100 * row.accuracy).toFixed(1)}% in ${row.trainSeconds.toFixed(1)} s\n`);
    }
  }
  const domain = models.includes('ours') ? await domainModel() : undefined;
  const md = markdown(results, domain, { started, load0, load1: loadavg(), totalSeconds: (performance.now() - t00) / 1000, full });
  process.stdout.write(md);
  if (full || args.out) {
    const out = resolve(args.out ?? join(ROOT, 'bench', 'results', 'nlu.md'));
    writeFileSync(out, md);
    process.stderr.write(`written to ${out}\n`);
  }
}

interface Domain { trainMs: number[]; cvAccuracy: number; noneRecall: number; n: number; threshold: number }

/** Start-up training time of the recognizer on intents/ and its 5-fold cross-validated quality. */
async function domainModel(): Promise<Domain> {
  const config = loadConfig({});
  // each run in a fresh process: start-up training is cold code, unlike a model trained after others
  const trainMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, ['--no-deprecation', '--import', 'tsx', join(ROOT, 'bench', 'domain-startup.ts')], { cwd: ROOT, encoding: 'utf8' });
    trainMs.push((JSON.parse(out) as { trainMs: number }).trainMs);
  }
  const examples = readIntentsDir(config.intentsDir);
  const rows = applyThreshold(await crossValidate(examples, textClassifierTrainer(DOMAIN_TRAIN, 'none'), 5), config.nluThreshold, 'none');
  const r = report(rows);
  return { trainMs, cvAccuracy: r.accuracy, noneRecall: r.perLabel.find((p) => p.label === 'none')?.recall ?? 0, n: examples.length, threshold: config.nluThreshold };
}

function markdown(results: Row[], domain: Domain | undefined, meta: { started: Date; load0: number[]; load1: number[]; totalSeconds: number; full: boolean }): string {
  const pct = (x?: number) => (x === undefined ? '' : (100 * x).toFixed(1) + '%');
  const size = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MB` : `${(b / 1024).toFixed(0)} kB`);
  const cpu = cpus();
  const lines = [
    '# NLU benchmark',
    '',
    `Run ${meta.started.toISOString()} with \`npm run bench:nlu\`${meta.full ? '' : ' (partial run)'}; took ${(meta.totalSeconds / 60).toFixed(1)} min.`,
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    `Load average at start ${meta.load0.map((x) => x.toFixed(1)).join(' / ')}, at end ${meta.load1.map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min): other work shares these ${cpu.length} cores, so times are upper bounds.`,
    '',
    'All models train on the same training split and are scored on the same test split. CLINC150: trained on `train` + `oos_train` (the paper\'s "oos-train" setting);',
    `each model\'s threshold (below it the answer is out of scope) is chosen on the validation split (\`val\` + \`oos_val\`) as the lowest one that catches ≥ ${100 * MIN_OOS_RECALL}% of \`oos_val\`, then applied once to \`test\` + \`oos_test\` (the second table: the threshold that maximises in-scope accuracy + OOS recall on val instead).`,
    'Accuracy and macro-F1 for CLINC150 are over all 151 labels at that threshold. µs = median wall time of one classification; size = serialised model (ours: weights + feature table).',
    '',
    '| data set | model | accuracy | macro-F1 | in-scope acc. (no threshold) | threshold (from val) | in-scope acc. | OOS recall | train s | µs / classification | model size |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(`| ${r.dataset} | ${MODEL_NAMES[r.model]} | ${pct(r.accuracy)} | ${r.macroF1.toFixed(3)} | ${pct(r.inScopeNoThreshold)} | ${r.threshold ?? ''} | ${pct(r.inScope)} | ${pct(r.oosRecall)} | ${r.trainSeconds.toFixed(1)} | ${r.medianMicros.toFixed(0)} | ${size(r.sizeBytes)} |`);
  }
  const clinc = results.filter((r) => r.balanced);
  if (clinc.length) {
    lines.push('', '| CLINC150, threshold maximising in-scope acc. + OOS recall on val | threshold | in-scope acc. | OOS recall |', '|---|---|---|---|');
    for (const r of clinc) lines.push(`| ${MODEL_NAMES[r.model]} | ${r.balanced!.threshold} | ${pct(r.balanced!.inScope)} | ${pct(r.balanced!.oosRecall)} |`);
  }
  if (domain) {
    const med = [...domain.trainMs].sort((a, b) => a - b)[1];
    lines.push('', `Domain model (\`intents/\`, ${domain.n} utterances, 18 intents): start-up training, each in a fresh process as at \`npm start\`, ${domain.trainMs.map((t) => t.toFixed(0)).join(' / ')} ms (median ${med.toFixed(0)} ms);`,
      `5-fold cross-validated accuracy ${pct(domain.cvAccuracy)}, \`none\` recall ${pct(domain.noneRecall)} at the configured threshold ${domain.threshold}.`);
  }
  const ours = (ds: string) => results.find((r) => r.dataset === ds && r.model === 'ours');
  const check = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : '**not met**');
  const b = ours('BANKING77'), c = ours('CLINC150');
  const braun = (ds: string, f1: number) => { const r = ours(ds); return r ? `${check(r.macroF1 >= f1 || r.accuracy >= f1)} (${r.macroF1.toFixed(3)} macro-F1, ${pct(r.accuracy)} acc. vs ${f1})` : 'not run'; };
  const medianDomain = domain ? [...domain.trainMs].sort((a, b2) => a - b2)[1] : undefined;
  lines.push('', '## Targets (issue 6), for our classifier', '',
    `- BANKING77 accuracy ≥ 92%: ${check(b && b.accuracy >= 0.92)} (${pct(b?.accuracy)})`,
    `- CLINC150 in-scope accuracy ≥ 93%: ${check(c && c.inScopeNoThreshold! >= 0.93)} (${pct(c?.inScopeNoThreshold)})`,
    `- CLINC150 at one validation-chosen threshold, in-scope ≥ 90% and OOS recall ≥ 80%: ${check(c && c.inScope! >= 0.9 && c.oosRecall! >= 0.8)} (${pct(c?.inScope)} / ${pct(c?.oosRecall)} at ${c?.threshold})`,
    `- Braun Chatbot ≥ 0.99: ${braun('Braun Chatbot', 0.99)}`,
    `- Braun AskUbuntu ≥ 0.94: ${braun('Braun AskUbuntu', 0.94)}`,
    `- Braun WebApps ≥ 0.80: ${braun('Braun WebApps', 0.8)}`,
    `- BANKING77 training < 15 s: ${check(b && b.trainSeconds < 15)} (${b?.trainSeconds.toFixed(1)} s)`,
    `- one classification < 100 µs median: ${check(results.filter((r) => r.model === 'ours').every((r) => r.medianMicros < 100))} (${results.filter((r) => r.model === 'ours').map((r) => r.medianMicros.toFixed(0)).join(' / ')} µs)`,
    `- domain model trains < 1 s: ${check(medianDomain === undefined ? undefined : medianDomain < 1000)} (${medianDomain?.toFixed(0)} ms)`,
    `- own intents CV accuracy ≥ 97% with none recall ≥ 95%: ${check(domain && domain.cvAccuracy >= 0.97 && domain.noneRecall >= 0.95)} (${pct(domain?.cvAccuracy)} / ${pct(domain?.noneRecall)})`,
    '',
    '## Notes', '',
    '- Braun corpora: NLP.js publishes F1 over its own runs; here every model runs on the same split, and "F1" in the targets is read as micro-F1 (= accuracy for one label per text) or macro-F1, whichever is higher. The test splits are small (206 / 109 / 59 texts): one text is 0.5 / 0.9 / 1.7 points.',
    '- NLP.js answers `None` when unsure; that answer counts as wrong on BANKING77 and the Braun sets (as out-of-scope on CLINC150). This is its default behaviour, and why its BANKING77 accuracy here is below the figure in `shared/datasets/README.md`, which may have taken its top-ranked intent instead.',
    '- `natural`\'s BayesClassifier scores 82.0% on BANKING77 here (its defaults, `addDocument` per example, top of `getClassifications`), well above the 43.5% in `shared/datasets/README.md`; its CLINC150 figure matches. We report what this run measured.',
    '- Times are wall-clock on a shared 2-core machine; the load average above says how busy it was. The same code measured on the same machine an hour apart differed by 2–4× in training seconds.',
    '',
    '## What was tried for our classifier', '',
    '- Features: TF-IDF of stemmed word 1–2-grams and character 3–5-grams (inside words), sublinear TF, each block L2-normalised. Character 2–5-grams: same accuracy, a quarter more features per text. Character grams across word boundaries (`charSpan: text`), word 1–3-grams, character 1–5-grams and a heavier or lighter character block were each 0.3–0.8 points worse on a held-out 15% of the BANKING77 training set. Grams seen in only one training text are dropped on large sets (`minDf` 2 from 5,000 texts): same accuracy, half the model.',
    '- Speed: grams are hashed in place (no substring per gram) into an open-addressing table, each text is analysed once during training, and SGD keeps the L2 decay in one shared scale factor (Bottou) and leaves out of each update the classes whose gradient is below 0.01 (with 77–151 classes most are far below it once training is under way; 1e-4 and 1e-3 were no more accurate, 0.03 was 0.8 points worse). This cut featurising from ~340 to ~80 µs per text and training time by about half. A third pass profiled the rest: normalising ran 17 regexes (13 µs; now one alternation for all contractions and an ASCII fast path, 5 µs, byte-identical output on 38,548 texts), `TypedArray.sort` on a text\'s ~110 columns cost 5–10 µs (columns now stay in first-hit order), and the sparse dot product stored every class score once per column (now four columns per pass: 2× faster). Spelling correction tries candidates most frequent first and stops at the first one edit away (natural\'s Damerau-Levenshtein builds a matrix of objects; same corrections, 1.5× faster). Per message, median, same machine: BANKING77 100–115 → 54–59 µs, CLINC150 → 63–77 µs. On the small Braun sets the target is missed (AskUbuntu / WebApps 115 / 167 µs in the full run): their test texts are mostly words the 30–53 training texts lack, and each new word goes through `natural`\'s Porter stemmer, which builds regexes per call and costs 10–15 µs a word even when warm (measured: 90–130 µs of stemming per WebApps test text of ~9 words). A stem cache shared across models would hide that in this benchmark only; it was not done.',
    '- Out of scope (CLINC150): `oos_train` is a class of its own; its examples weigh 3× (weights 1 and 8 were no better on val). The threshold maximising in-scope accuracy + OOS recall on val lands high (0.4–0.5) and over-rejects real requests, because softmax over 151 intents leaves many correct answers with a probability of 0.2–0.5. So the benchmark fixes the operating point instead: the lowest threshold that catches 80% of `oos_val`. Other rejection scores (top-1 minus top-2 margin, in-scope maximum against the `oos` probability, softmax temperature 0.3–1.5) were within half a point of plain maximum probability on val.',
    '- Optimiser (first pass): plain SGD on a softmax with a linearly decaying step, 12 passes on large sets (30 on small ones); 92.1% on the held-out 15% of BANKING77\'s training set. L2 between 0 and 3e-5, step 1–3, 15–20 passes and epoch-level weight averaging over the last 4 passes were all 0.2–0.8 points lower there. The test split came out at 91.6%.',
    '- Solver (second pass, now used): one-vs-rest L2-loss linear SVMs solved exactly by dual coordinate descent (liblinear\'s method, with its shrinking; C = 1; bias as a constant feature), decision values turned into probabilities by a softmax at temperature 0.2. Against SGD on data that is not a test split: BANKING77, another held-out 15% of its training set, 91.2% vs 90.4%; CLINC150 val, in-scope 92.7% vs 91.8%, and at the lowest threshold catching 80% of `oos_val` 90.4% vs 90.1%; own intents 5-fold CV 93.5% vs 92.1%. It costs 1.5–2× SGD\'s training time on the large sets (77–151 separate problems).',
    '- Test splits, the SVM run vs the first pass\'s SGD run (both in this file\'s history): BANKING77 91.5% vs 91.6% (no gain: the hold-out gain did not carry over), CLINC150 in-scope 92.8% vs 91.7%, at the 80%-of-`oos_val` threshold 90.7% / 73.5% OOS recall vs 90.6% / 73.1%, at the balanced threshold 88.4% / 85.2% vs 81.6% / 93.5%; Braun AskUbuntu 90.8% vs 91.7% (one text), Chatbot and WebApps unchanged. The SVM\'s training takes about 1.5–2× SGD\'s.',
    '- Tried and dropped: NB-weighted features (NBSVM, per-class log-count-ratio scaling, α = 1): 89.7% vs 91.2% on the BANKING77 hold-out, 90.5% vs 92.2% in own-intent CV. SVM C = 0.5 and 2: 0.2–0.6 points lower. Character block weight 0.7 / 1.4: within 0.1 point in own-intent CV. Softmax temperature on CLINC150 val at the 80%-OOS operating point: 0.1 / 0.2 / 0.3 / 0.5 gave 89.0% / 90.4% / 90.6% / 90.3% in-scope, so 0.2 vs 0.3 is within noise; 0.2 stayed because it puts the domain model\'s configured threshold (0.35) at a sensible operating point.',
    '- Third pass (all on data that is not a test split; BANKING77 = 3 of 7 stratified folds of its training set, 4,287 texts; CLINC150 = val, with the threshold also chosen on one half of val and applied to the other): an SGD + SVM probability ensemble (weights ½/½, SVM temperature 0.2 or 0.3) 91.46% vs SVM 91.30% on BANKING77 at 27 s training (over the 15 s target; with 8 SGD passes 91.30%), and 92.3% vs 92.7% in scope on CLINC150; word skip-bigrams 91.32% / 92.8%; character block weight 0.6 / 1.5 and word 1–3-grams on CLINC150 all within one `oos_val` text at the 80% operating point. All within noise, none kept. Rejection scores on CLINC150 val at the lowest threshold catching 80% of `oos_val`: maximum probability 90.4% in scope; × the cosine similarity of the nearest training example of the predicted intent 90.6%; that similarity alone 85.3%; a separate in-scope / out-of-scope SVM 65.4%; 1 − P(oos) 90.7% but only 70% OOS recall at best. Outlier exposure (the 183 Braun training texts added as `oos` examples) 91.2% vs 90.8% (one `oos_val` text). Spelling correction off: 93.0% vs 92.7% in scope on CLINC150 val, 91.25% vs 91.30% on BANKING77: a correct word the training set lacks was being "corrected" into a wrong one (story → store, swim → sim, plants → plans in our own intents). So the corrector now leaves English words alone, using the ~65,000-word lexicon `natural` ships for its part-of-speech tagger, and corrects only non-words toward the training vocabulary: CLINC150 val 92.9% in scope, BANKING77 folds 91.32%, own-intent CV 94.3% → 94.9% with `none` recall 89.5% → 90.9%. The ensemble is also within noise in own-intent CV (93.2% vs 93.2%, `none` recall 83.1% vs 80.8%). The linear model on these features looks to be at its ceiling: the remaining gaps to 92% / 93% / 80% OOS recall need a model that knows words the training set lacks, which no offline data here provides.',
    '- Own intents: ~290 realistic phrasings in the first pass, then ~400 more in the second (short forms, slang, typos, brand spellings, several phrasings of each concept cross-validation showed as a one-off), duplicates removed. `none` gained hard negatives (other companies\' bills, logins and outages, chit-chat, single words such as "website"), so its recall is now measured on a harder set than in the first pass; in the SVM it weighs 2 (CV recall 77.3% → 80.8% for one point of in-scope accuracy). Cross-validation of short one-off phrasings ("611", "tysm") stays hard by construction: a fold without its only example cannot learn it. Third pass: ~1,150 more (2,684 in all). Every concept cross-validation still showed as a one-off got 2–4 different phrasings, `none` grew from 260 to 771 examples (other carriers, internet and utility companies, streaming and social-media logins, banks, shops, travel, chit-chat, gibberish), and ambiguous or mislabelled examples were removed ("reset", "hotspot", "sprint account"). Data alone: CV 93.2% → 94.2%, `none` recall 80.8% → 89.4%; with the English word list in the spelling corrector and `none` weighed 3 (weights 2 / 3 / 4 gave 90.9 / 92.2 / 93.0% `none` recall for 94.9 / 94.8 / 94.7% accuracy) the table above. What stays wrong: other companies\' requests worded like ours ("pay my credit card bill", "geico bill": adding more of them pulls our own short phrasings such as "change my credit card" toward `none`), questions about the bot against chit-chat ("who are you", "how do you work"), and one-word messages ("what", "cheers").',
    '');
  return lines.join('\n') + '\n';
}

await main();
