import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { verifyPassword } from '../../src/desk/passwords.js';
import { tempDir } from '../support/server.js';
import { storedText } from '../support/stores.js';
import { PASSWORD } from '../support/desk.js';

/** `npm run -s staff -- …` with `stdin` piped in; resolves with its exit code and output. */
function staff(dataDir: string, args: string[], stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/cli/staff.ts', ...args], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

describe('npm run staff (accounts from the terminal)', function () {
  this.timeout(120_000);
  const dataDir = join(tempDir('staff-cli-'), 'data');

  it('adds, lists, changes the password of (signing the person out) and removes an account', async () => {
    const added = await staff(dataDir, ['add', 'Sam', '--name', 'Sam Lee', '--teams', 'general,technical'], `${PASSWORD}\n`);
    expect(added, added.err).to.include({ code: 0, out: 'added sam (agent; general, technical)\n' });
    const boss = await staff(dataDir, ['add', 'sue', '--name', 'Sue', '--role', 'supervisor'], `${PASSWORD}\n`);
    expect(boss.code, boss.err).to.equal(0);
    expect((await staff(dataDir, ['list'])).out).to.equal('sam\tagent     \tgeneral,technical\tSam Lee\nsue\tsupervisor\tgeneral,business,technical,international\tSue\n');

    let stores = await openEmbeddedStores(dataDir);
    await stores.deskSessions.create({ id: 'sam-session', username: 'sam', csrfToken: 'c', createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z' });
    await stores.close();
    const changed = await staff(dataDir, ['passwd', 'sam'], 'Another-long-passphrase-4\n');
    expect(changed.out).to.equal('changed the password of sam and signed them out everywhere\n');
    stores = await openEmbeddedStores(dataDir);
    try {
      expect(await stores.deskSessions.get('sam-session')).to.equal(undefined);
      expect(await verifyPassword('Another-long-passphrase-4', (await stores.staff.get('sam'))!.passwordHash)).to.equal(true);
    } finally { await stores.close(); }

    expect((await staff(dataDir, ['remove', 'sam'])).out).to.equal('removed sam and signed them out\n');
    expect((await staff(dataDir, ['list'])).out).to.not.include('sam\t');
    const text = storedText(dataDir);
    expect(text).to.not.include(PASSWORD);
    expect(text).to.not.include('Another-long-passphrase-4');
  });

  it('refuses with the reason, never echoing the password: weak, taken, unknown, missing, misused', async () => {
    const weak = await staff(dataDir, ['add', 'kim', '--name', 'Kim'], 'kim12345\n');
    expect(weak).to.include({ code: 1 });
    expect(weak.err).to.match(/too short/).and.not.include('kim12345');
    await staff(dataDir, ['add', 'kim', '--name', 'Kim'], `${PASSWORD}\n`);
    const taken = await staff(dataDir, ['add', 'KIM', '--name', 'Kim'], `${PASSWORD}\n`);
    expect(taken).to.include({ code: 1, err: 'staff: There is already an account "kim".\n' });
    expect(taken.out + taken.err).to.not.include(PASSWORD);
    expect((await staff(dataDir, ['remove', 'nobody'])).err).to.equal('staff: There is no account "nobody".\n');
    expect((await staff(dataDir, ['add', 'lee', '--name', 'Lee'], '')).err).to.match(/no password on standard input/);
    const usage = await staff(dataDir, ['add', 'lee']);
    expect(usage.code).to.equal(2);
    expect(usage.err).to.match(/add needs --name/);
    expect((await staff(dataDir, ['fire', 'kim'])).code).to.equal(2);
    expect((await staff(dataDir, ['add', 'x', '--name', 'X', '--password', 'inline-secret-123'])).code, 'no password on the command line').to.equal(2);
  });
});
