import { expect } from 'chai';
import { durations } from '../../src/insights/figures.js';
import { BadRangeError, parseRange } from '../../src/insights/range.js';

describe('insights definitions: median and p90', () => {
  const TABLE: Array<[number[], { count: number; medianSeconds: number; p90Seconds: number }]> = [
    [[], { count: 0, medianSeconds: 0, p90Seconds: 0 }],
    [[5000], { count: 1, medianSeconds: 5, p90Seconds: 5 }],
    [[3000, 1000], { count: 2, medianSeconds: 2, p90Seconds: 3 }],
    [[1000, 2000, 9000], { count: 3, medianSeconds: 2, p90Seconds: 9 }],
    // nearest rank: ceil(0.9 × 10) = the 9th of 10
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((s) => s * 1000), { count: 10, medianSeconds: 5.5, p90Seconds: 9 }],
    [Array.from({ length: 11 }, (_, i) => (i + 1) * 1000), { count: 11, medianSeconds: 6, p90Seconds: 10 }],
  ];
  for (const [ms, expected] of TABLE) it(`[${ms.join(', ')}] ms`, () => expect(durations(ms)).to.deep.equal(expected));
});

describe('insights ranges', () => {
  const now = new Date('2026-03-15T12:00:00Z');
  const TABLE: Array<[Record<string, string>, string, string]> = [
    [{}, '2026-02-14T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    [{ from: '2026-03-01', to: '2026-03-01' }, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    [{ from: '2026-03-01T10:00:00+01:00', to: '2026-03-01T12:00:00Z' }, '2026-03-01T09:00:00.000Z', '2026-03-01T12:00:00.000Z'],
    [{ to: '2026-03-10' }, '2026-02-09T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    // a time within the last day of a date range is still in it
    [{ from: '2026-03-01T10:00:00Z', to: '2026-03-01' }, '2026-03-01T10:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    // the night the clocks go forward in New York: that day is 23 hours long
    [{ from: '2026-03-08', to: '2026-03-08', tz: 'America/New_York' }, '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    [{ from: '2026-10-25', to: '2026-10-25', tz: 'Europe/Madrid' }, '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
  ];
  for (const [q, from, to] of TABLE) {
    it(JSON.stringify(q), () => {
      const r = parseRange(q, now);
      expect([r.from.toISOString(), r.to.toISOString()]).to.deep.equal([from, to]);
    });
  }
  it('refuses what it cannot answer, saying why', () => {
    for (const [q, reason] of [
      [{ from: '2026-03-02', to: '2026-03-01' }, /reversed/],
      [{ from: '2026-03-02T10:00:00Z', to: '2026-03-02T09:59:59Z' }, /reversed/],
      [{ from: '2026-03-02T10:00:00Z', to: '2026-03-01' }, /reversed/],
      [{ from: '2024-01-01', to: '2025-01-01' }, /longer than a year/],
      [{ from: '2026-13-01' }, /not a date on the calendar/],
      [{ tz: 'Nowhere/Land' }, /not a time zone/],
    ] as Array<[Record<string, string>, RegExp]>) {
      expect(() => parseRange(q, now), JSON.stringify(q)).to.throw(BadRangeError, reason);
    }
  });
});
