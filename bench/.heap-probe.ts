import { Channel, Target, drive, spawnServer, memory } from './loadDriver.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const channel = new Channel(); await channel.start();
const dir = mkdtempSync(join(tmpdir(), 'heap-'));
const p = await spawnServer(['--no-deprecation', '--max-old-space-size=256', '--import', 'tsx', 'src/index.ts'], { DATA_DIR: dir, RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000', LOG_LEVEL: 'warn', HOST: '127.0.0.1', DOTENV_CONFIG_QUIET: 'true' }, '/tmp/heap/bot.log');
const target = new Target('bot', [p.base]);
for (let round = 0; round < 3; round++) {
  const r = await drive(channel, target, { concurrency: 10, turns: 1400, prefix: `r${round}` });
  console.log('round', round, r.turns, r.failed, memory(p.pid));
  
  await new Promise((res) => setTimeout(res, 1000));
}
await p.stop();
process.exit(0);
