/**
 * `npm run -s staff -- add <username> --name "<display name>" [--role agent|supervisor] [--teams general,technical]`,
 * `list`, `remove <username>`, `passwd <username>`: desk accounts from the terminal. Passwords are
 * read from the terminal without echo (or the first line of standard input when piped), never
 * from the command line, where they would stay in the shell's history and the process list.
 * With the embedded store the server must be stopped (one process per DATA_DIR); with PostgreSQL
 * it may run.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openStores } from '../storage/index.js';
import { DESK_TEAMS } from '../handoff/teams.js';
import { changePassword, createStaff, removeStaff } from '../desk/staff.js';

const USAGE = `usage: npm run -s staff -- add <username> --name "<display name>" [--role agent|supervisor] [--teams ${DESK_TEAMS.join(',')}]
       npm run -s staff -- list
       npm run -s staff -- remove <username>
       npm run -s staff -- passwd <username>
The password is asked for (or read from the first line of standard input).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, teams: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError('');
  if (!['add', 'list', 'remove', 'passwd'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'list' ? rest.length !== 0 : rest.length !== 1) throw new UsageError(command === 'list' ? 'list takes no arguments' : `${command} takes one username`);
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const stores = await openStores(config, createLogger(config.logLevel, process.stderr));
  const out = (line: string) => process.stdout.write(line + '\n');
  try {
    switch (command) {
      case 'list':
        for (const a of await stores.staff.list()) out([a.username, a.role.padEnd(10), a.teams.join(','), a.displayName].join('\t'));
        return;
      case 'add': {
        if (!values.name) throw new UsageError('add needs --name "<display name>" (customers see its first word)');
        const teams = values.teams?.split(',').map((t) => t.trim()).filter(Boolean);
        const password = await readPassword(`Password for ${rest[0]}: `);
        const a = await createStaff(stores.staff, { username: rest[0], password, displayName: values.name, role: values.role ?? 'agent', ...(teams ? { teams } : {}) }, new Date());
        out(`added ${a.username} (${a.role}; ${a.teams.join(', ')})`);
        return;
      }
      case 'remove':
        await removeStaff(stores.staff, stores.deskSessions, rest[0]);
        out(`removed ${rest[0].toLowerCase()} and signed them out`);
        return;
      case 'passwd':
        await changePassword(stores.staff, stores.deskSessions, rest[0], await readPassword(`New password for ${rest[0]}: `), new Date());
        out(`changed the password of ${rest[0].toLowerCase()} and signed them out everywhere`);
        return;
    }
  } finally {
    await stores.close();
  }
}

/** A password from the terminal (not echoed) or from the first line of piped input. */
function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return new Promise((resolve, reject) => {
      const rl = createInterface({ input });
      let done = false;
      rl.once('line', (line) => { done = true; rl.close(); resolve(line); });
      rl.once('close', () => { if (!done) reject(new UsageError('no password on standard input')); });
    });
  }
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          input.setRawMode(false);
          input.pause();
          input.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    input.on('data', onData);
  });
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    if (err.message) process.stderr.write(`staff: ${err.message}\n`);
    process.stderr.write(USAGE + '\n');
    process.exit(2);
  }
  process.stderr.write(`staff: ${err.message}\n`);
  process.exit(1);
});
