import { expect } from 'chai';
import { hashPassword, passwordProblem, verifyAgainstNothing, verifyPassword } from '../../src/desk/passwords.js';

describe('staff passwords (scrypt)', () => {
  it('stores scrypt with its parameters and a fresh salt, and checks only the right password', async () => {
    const a = await hashPassword('Orbit-lantern-9-meadow');
    const b = await hashPassword('Orbit-lantern-9-meadow');
    expect(a).to.match(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a, 'salted: two hashes of one password differ').to.not.equal(b);
    expect(await verifyPassword('Orbit-lantern-9-meadow', a)).to.equal(true);
    expect(await verifyPassword('Orbit-lantern-9-meadoW', a)).to.equal(false);
    expect(await verifyPassword('', a)).to.equal(false);
  });

  it('treats a stored value it cannot read as no match (never throws), and refuses absurd parameters', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$2$3', 'bcrypt$x$y$z$a$b', 'scrypt$33554432$8$1$c2FsdA$aGFzaA', 'scrypt$16384$8$1$c2FsdA$c2hvcnQ']) {
      expect(await verifyPassword('anything-at-all', stored), stored).to.equal(false);
    }
    expect(await verifyAgainstNothing('whatever-was-typed')).to.equal(false);
  });

  const table: Array<[string, string | undefined]> = [
    ['Orbit-lantern-9-meadow', undefined],
    ['correct horse battery staple', undefined],
    ['short-1', 'too short'],
    ['x'.repeat(201), 'too long'],
    ['abababababababab', 'at least 5 different'],
    ['my-sam-password-1', 'must not contain the username'],
    ['Welcome-to-the-team', 'contains "welcome"'],
    ['abcdefghij-orbit-7', 'keyboard or number run'],
    ['1234567890-orbit', 'contains "123456"'],
  ];
  for (const [password, problem] of table) {
    it(`"${password.slice(0, 24)}": ${problem ?? 'accepted'}`, () => {
      const got = passwordProblem(password, 'sam');
      if (problem) expect(got).to.include(problem); else expect(got).to.equal(undefined);
    });
  }
});
