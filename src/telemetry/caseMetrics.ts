import type { CaseStore } from '../storage/caseStore.js';
import type { Metrics } from './metrics.js';

/**
 * `cases` counting each case it opens (`supportbot_cases_opened_total`, and
 * `supportbot_escalations_total` by the case's team and contact method): every case is opened
 * through here, once it is stored.
 */
export function countOpenedCases(cases: CaseStore, metrics: Metrics): CaseStore {
  const open: CaseStore['open'] = async (input) => {
    const record = await cases.open(input);
    metrics.caseOpened({ team: record.team, contactMethod: record.contactMethod });
    return record;
  };
  return new Proxy(cases, {
    get(target, prop) {
      if (prop === 'open') return open;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
