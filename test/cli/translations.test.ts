import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { copyOfData, edit } from '../support/contentCopy.js';

describe('npm run -s translations', () => {
  it('npm run -s translations lists what is left to translate (exit 1), or says all is done (exit 0)', () => {
    const ok = spawnSync('npm', ['run', '-s', 'translations'], { encoding: 'utf8', timeout: 60000 });
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout).to.match(/every key is translated/);
    const dir = copyOfData();
    edit(join(dir, 'messages.yml'), (t) => t.replace('cancel:\n', 'cancel:\n  brand_new: "Something new"\n  other_new: ["One", "Two"]\n'));
    const gaps = spawnSync('npm', ['run', '-s', 'translations', '--', '--dir', dir], { encoding: 'utf8', timeout: 60000 });
    expect(gaps.status).to.equal(1);
    expect(gaps.stdout).to.match(/es {2}cancel\.brand_new +not translated/);
    expect(gaps.stdout).to.match(/cancel\.other_new/);
    expect(gaps.stdout).to.match(/2 to fix/);
    const json = spawnSync('npm', ['run', '-s', 'translations', '--', '--dir', dir, '--json'], { encoding: 'utf8', timeout: 60000 });
    expect(JSON.parse(json.stdout).map((g: { key: string }) => g.key)).to.deep.equal(['cancel.brand_new', 'cancel.other_new']);
  });
});
