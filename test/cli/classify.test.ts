import { expect } from 'chai';
import { spawnSync } from 'node:child_process';

describe('npm run -s classify', () => {
  it('prints one JSON object {text, intent, score} per input line', () => {
    const r = spawnSync('npm', ['run', '-s', 'classify'], { input: 'hello\nI forgot my password\n\nwhat is the capital of france\n', encoding: 'utf8', timeout: 60000 });
    expect(r.status, r.stderr).to.equal(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.intent)).to.deep.equal(['greeting', 'password_reset', 'none']);
    for (const x of rows) { expect(x.text).to.be.a('string'); expect(x.score).to.be.within(0, 1); }
  });

  it('prints the language each line was read in ("lang"), Spanish and mixed lines included', () => {
    const r = spawnSync('npm', ['run', '-s', 'classify'], { input: 'I forgot my password\nno puedo iniciar sesión en la app\nla app no abre\nok\n', encoding: 'utf8', timeout: 60000 });
    expect(r.status, r.stderr).to.equal(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.intent, x.lang])).to.deep.equal([['password_reset', 'en'], ['login_help', 'es'], ['app_install', 'es'], ['none', 'en']]);
    const prior = spawnSync('npm', ['run', '-s', 'classify', '--', '--locale', 'es-US'], { input: 'ok\n', encoding: 'utf8', timeout: 60000 });
    expect(JSON.parse(prior.stdout).lang, 'a line too short to tell takes the locale').to.equal('es');
  });
});

describe('npm run chat', () => {
  it('talks to the real bot in the terminal', () => {
    const r = spawnSync('npm', ['run', '-s', 'chat'], { input: 'what can you do\ncant log in\n/quit\n', encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: `/tmp/chat-test-${process.pid}` } });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Sign-in help/);
    expect(r.stdout).to.match(/website or in the/);
  });
});
