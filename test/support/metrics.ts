import { expect } from 'chai';
import { request } from './server.js';

/** One scrape of `/metrics`: every sample by name and labels (labels in any order). */
export interface Scrape {
  /** The sample's value; 0 when the series does not exist (yet). */
  value(name: string, labels?: Record<string, string>): number;
  /** Every series of `name`, with its labels. */
  series(name: string): Array<{ labels: Record<string, string>; value: number }>;
  text: string;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format (what a real Prometheus reads). */
export function parseExposition(text: string): Scrape {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  const same = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    text,
    value: (name, labels = {}) => samples.find((s) => s.name === name && same(s.labels, labels))?.value ?? 0,
    series: (name) => samples.filter((s) => s.name === name).map(({ labels, value }) => ({ labels, value })),
  };
}

/** GETs `/metrics` with the bearer token and parses it. */
export async function scrape(url: string, token?: string): Promise<Scrape> {
  const r = await request('GET', url, undefined, token ? { authorization: `Bearer ${token}` } : {});
  expect(r.status, `GET ${url}: ${r.body.slice(0, 200)}`).to.equal(200);
  return parseExposition(r.body);
}

/** How each series moved between two scrapes. */
export function delta(before: Scrape, after: Scrape) {
  return (name: string, labels?: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
}
