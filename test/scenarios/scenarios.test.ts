import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentError } from '../../src/content/content.js';
import { tempDir } from '../support/server.js';
import { loadScenarioFiles, runScenario } from './runner.js';

/** Every conversation in test/scenarios/*.yml, one test each (`npm run -s scenarios` runs the same ones). */
describe('conversation scenarios (test/scenarios/*.yml)', () => {
  for (const f of loadScenarioFiles()) {
    describe(f.topic, () => {
      for (const s of f.scenarios) {
        it(s.name, async () => {
          const failures = await runScenario(s);
          expect(failures.map((x) => `${x.step ? `step ${x.step} ("${x.user}")` : 'case'}: ${x.problem}${x.reply !== undefined ? ` — said ${JSON.stringify(x.reply)}` : ''}`)).to.deep.equal([]);
        });
      }
    });
  }
});

describe('the scenario runner', () => {
  it('fails a scenario whose reply does not match, saying what the bot said', async () => {
    const failures = await runScenario({ name: 'x', steps: [{ user: 'my account is locked', bot: { contains: ['the weather is nice'], says: ['login.ask_path'] } }] });
    expect(failures.map((f) => f.problem)).to.deep.equal(['should say the message "login.ask_path"', 'should contain "the weather is nice"']);
    expect(failures[0].reply).to.match(/lock/i);
  });

  it('checks the case a scenario opened', async () => {
    const failures = await runScenario({ name: 'x', steps: [{ user: 'hello' }], case: { intent: 'billing' } });
    expect(failures.map((f) => f.problem)).to.deep.equal(['a case should have been opened']);
  });

  it('rejects a file with a mistake, naming the file and the key', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.yml'), 'topic: Bad\nscenarios:\n  - name: typo\n    steps:\n      - user: hi\n        bot: { contians: [hello] }\n');
    expect(() => loadScenarioFiles(dir)).to.throw(ContentError, /bad\.yml: scenarios\.0\.steps\.0\.bot/);
  });
});
