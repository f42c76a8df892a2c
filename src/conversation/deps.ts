import type { Content } from '../content/content.js';
import type { Recognizer } from '../nlu/recognizerPort.js';
import type { Handoff } from '../cases/types.js';
import type { CaseStore } from '../storage/caseStore.js';
import type { FeedbackStore } from '../storage/feedbackStore.js';
import type { FrustrationDetector } from './frustration.js';
import type { ProgressAccessor } from './progress.js';

/** What every dialog may use; wired once in `src/app.ts`. */
export interface DialogDeps {
  recognizer: Recognizer;
  content: Content;
  cases: CaseStore;
  handoff: Handoff;
  feedback: FeedbackStore;
  frustration: FrustrationDetector;
  progress: ProgressAccessor;
  /** Reports failures that must not break a turn (analytics, hand-off); defaults to nothing. */
  onError?: (err: unknown, what: string) => void;
}

const REQUIRED: Array<keyof DialogDeps> = ['recognizer', 'content', 'cases', 'handoff', 'feedback', 'frustration', 'progress'];

/** Fails fast, naming the dialog class and the missing dependency. */
export function requireDeps(className: string, deps: DialogDeps | undefined): DialogDeps {
  if (!deps) throw new Error(`[${className}]: Missing parameter. deps is required`);
  for (const k of REQUIRED) if (!deps[k]) throw new Error(`[${className}]: Missing parameter. deps.${k} is required`);
  return deps;
}
