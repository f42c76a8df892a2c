import { expect } from 'chai';
import { ROOT } from '../src/config.js';
import { importCycles, importGraph, type ImportGraph } from './support/importGraph.js';

/**
 * The shape docs/architecture.md promises, checked on the code: what the running service loads
 * (walked from its entry points through every import that survives compilation) holds no
 * offline tool, no test code and no import cycle.
 */

/** What the service runs: the server, and the worker thread the review's retrainer starts by file name. */
const ENTRIES = ['src/index.ts', 'src/review/trainWorker.ts'];

/** Offline tooling: used by people and CI, never by the running service. */
const OFFLINE: Array<[RegExp, string]> = [
  [/^src\/cli\//, 'command-line tools (npm run evaluate, cases, staff, …)'],
  [/^src\/nlu\/offline\//, 'NLU evaluation on data sets, the intent lint, held-out language reports'],
  [/^bench\//, 'benchmarks'],
  [/^scripts\//, 'scripts'],
  [/^test\//, 'tests and test doubles'],
];

/** How a file is reached from an entry: the import chain, for the failure message. */
function chainTo(graph: ImportGraph, entry: string, target: string): string[] {
  const previous = new Map<string, string>([[entry, '']]);
  const queue = [entry];
  while (queue.length) {
    const v = queue.shift()!;
    if (v === target) { const path = [v]; for (let p = previous.get(v)!; p; p = previous.get(p)!) path.unshift(p); return path; }
    for (const w of graph.edges.get(v) ?? []) if (!previous.has(w)) { previous.set(w, v); queue.push(w); }
  }
  return [target];
}

describe('architecture: the runtime import graph', function () {
  this.timeout(60_000);
  const graphs = ENTRIES.map((entry) => ({ entry, graph: importGraph(ROOT, entry) }));

  it('reaches the parts of the service (the walk follows imports, so a broken walk would find nothing)', () => {
    const files = new Set(graphs.flatMap(({ graph }) => [...graph.edges.keys()]));
    for (const f of ['src/app.ts', 'src/createBot.ts', 'dialogs/mainDialog.ts', 'dialogs/dialogIds.ts', 'src/text/matching.ts', 'src/nlu/recognizer.ts', 'src/storage/postgres/index.ts', 'src/nlu/evaluation.ts']) {
      expect(files.has(f), f).to.equal(true);
    }
  });

  for (const { entry, graph } of graphs) {
    it(`from ${entry}: no offline tool or test code`, () => {
      const offending = [...graph.edges.keys()].flatMap((f) => OFFLINE.filter(([re]) => re.test(f)).map(([, what]) => `${f} (${what}): ${chainTo(graph, entry, f).join(' → ')}`));
      expect(offending, offending.join('\n')).to.deep.equal([]);
    });

    it(`from ${entry}: no import cycle`, () => {
      const cycles = importCycles(graph).map((c) => c.join(' → '));
      expect(cycles, cycles.join('\n')).to.deep.equal([]);
    });
  }

  it('the dialogs take the recognizer as an interface: no dialog imports the trained recognizer or the classifier', () => {
    const { graph } = graphs[0];
    const offending = [...graph.edges.entries()]
      .filter(([f]) => f.startsWith('dialogs/') || f.startsWith('src/conversation/'))
      .flatMap(([f, to]) => to.filter((t) => /^src\/nlu\/(recognizer|classifier|features)\.ts$/.test(t)).map((t) => `${f} → ${t}`));
    expect(offending, offending.join('\n')).to.deep.equal([]);
  });
});

describe('architecture: the checker itself', () => {
  it('finds a cycle and an offline import in a graph that has them', () => {
    const graph: ImportGraph = { edges: new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts', 'test/x.ts']], ['c.ts', ['a.ts']], ['test/x.ts', []], ['d.ts', ['d.ts']]]) };
    expect(importCycles(graph).map((c) => c.join(' → ')).sort()).to.deep.equal(['a.ts → b.ts → c.ts → a.ts', 'd.ts → d.ts']);
    expect(chainTo(graph, 'a.ts', 'test/x.ts')).to.deep.equal(['a.ts', 'b.ts', 'test/x.ts']);
  });
});
