import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { currentLanguage, runInLanguage } from '../../src/content/turnLanguage.js';
import { activeScope } from '../../src/util/asyncScope.js';
import { ScopeContextManager } from '../../src/telemetry/scopeContextManager.js';

/**
 * The turn's language and, with tracing on, its trace context share one AsyncLocalStorage
 * (`src/util/asyncScope.ts`): each must survive the other being set, across awaits and timers.
 * The manager is used directly (not registered with the API), so this runs beside other tests.
 */
describe('the turn scope: one AsyncLocalStorage for the language and the trace', () => {
  const manager = new ScopeContextManager();
  const span = (n: number): Span => trace.wrapSpanContext({ traceId: `${n}`.padStart(32, 'a'), spanId: `${n}`.padStart(16, 'b'), traceFlags: TraceFlags.SAMPLED });
  const spanNow = () => trace.getSpan(manager.active());

  it('OpenTelemetry\'s context is the service\'s scope: what the manager makes current is what the scope holds', () => {
    const ctx = trace.setSpan(ROOT_CONTEXT, span(1));
    manager.with(ctx, () => {
      expect(activeScope()).to.equal(ctx);
      expect(manager.active()).to.equal(ctx);
    });
    expect(trace.getSpan(activeScope()), 'left again').to.equal(undefined);
  });

  it('a language set inside a span keeps the span, after awaits and timers', async () => {
    const s = span(2);
    await manager.with(trace.setSpan(manager.active(), s), () => runInLanguage('es', async () => {
      await sleep(1);
      await new Promise<void>((r) => setImmediate(r));
      expect(currentLanguage()).to.equal('es');
      expect(spanNow()).to.equal(s);
    }));
    expect(currentLanguage(), 'outside: the default').to.equal('en');
  });

  it('a child span started inside a language keeps the language; leaving it restores the parent span', async () => {
    const parent = span(3), child = span(4);
    await manager.with(trace.setSpan(manager.active(), parent), () => runInLanguage('es', async () => {
      await manager.with(trace.setSpan(manager.active(), child), async () => {
        await sleep(1);
        expect(spanNow()).to.equal(child);
        expect(currentLanguage()).to.equal('es');
      });
      expect(spanNow()).to.equal(parent);
    }));
  });

  it('two turns at once each keep their own language and span', async () => {
    const one = async (lang: 'en' | 'es', s: Span) => manager.with(trace.setSpan(ROOT_CONTEXT, s), () => runInLanguage(lang, async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(1);
        expect([currentLanguage(), spanNow()]).to.deep.equal([lang, s]);
      }
    }));
    await Promise.all([one('es', span(5)), one('en', span(6))]);
  });

  it('an event emitter bound to a context runs its listeners there, with the language of that scope (the base class binds through `with`)', () => {
    const s = span(7);
    const emitter = new EventEmitter();
    runInLanguage('es', () => manager.bind(trace.setSpan(manager.active(), s), emitter));
    const seen: unknown[] = [];
    emitter.on('data', () => seen.push(currentLanguage(), spanNow()));
    emitter.emit('data');
    expect(seen).to.deep.equal(['es', s]);
  });

  it('attach makes a context current until disposed', () => {
    const s = span(8);
    const token = manager.attach(trace.setSpan(ROOT_CONTEXT, s));
    expect(spanNow()).to.equal(s);
    token.dispose();
    expect(spanNow()).to.equal(undefined);
  });

  it('switching tracing off leaves the scope working: languages still follow their turns', async () => {
    manager.disable();
    await runInLanguage('es', async () => { await sleep(1); expect(currentLanguage()).to.equal('es'); });
    manager.enable();
  });
});
