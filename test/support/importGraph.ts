import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The project's runtime import graph: from an entry file, every relative import that is still
 * there once TypeScript has compiled it (`import type`, and imports of types only, are erased),
 * including `import()` expressions. Paths are relative to `root`, with `/` separators.
 */
export interface ImportGraph {
  /** file → the files it imports at run time. */
  edges: Map<string, string[]>;
}

/** The `.ts` file an import specifier names (`./x.js` is written for `./x.ts`), or undefined for a package. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, resolve(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${specifier}`);
}

/** Whether an import declaration survives compilation (not `import type`, and not only `type` names). */
function isRuntimeImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return true; // import './side-effect.js'
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (isRuntimeImport(node)) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const onlyTypes = node.isTypeOnly || (node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!onlyTypes) out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** Walks the graph from `entry` (a path relative to `root`). */
export function importGraph(root: string, entry: string): ImportGraph {
  const edges = new Map<string, string[]>();
  const todo = [resolve(root, entry)];
  while (todo.length) {
    const file = todo.pop()!;
    const key = relative(root, file).split('\\').join('/');
    if (edges.has(key)) continue;
    const targets = runtimeSpecifiers(file).map((s) => resolveSpecifier(file, s)).filter((f): f is string => f !== undefined);
    edges.set(key, targets.map((t) => relative(root, t).split('\\').join('/')));
    todo.push(...targets);
  }
  return { edges };
}

/** Each import cycle once, as the files in order (Tarjan's strongly connected components, then one cycle per component). */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const strongConnect = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.edges.get(v) ?? []) {
      if (!index.has(w)) { strongConnect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || (graph.edges.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of graph.edges.keys()) if (!index.has(v)) strongConnect(v);
  return components.map((c) => shortestCycle(graph, new Set(c), c.sort()[0]));
}

/** A shortest path from `start` back to itself inside one component (breadth first), for a readable message. */
function shortestCycle(graph: ImportGraph, inside: Set<string>, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.edges.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) { const path = [v]; for (let p = v; p !== start;) { p = previous.get(p)!; path.unshift(p); } return [...path, start]; }
      if (!previous.has(w)) { previous.set(w, v); queue.push(w); }
    }
  }
  return [start];
}
