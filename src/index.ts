import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackHost, loadConfig, ROOT } from './config.js';
import { createLogger } from './logger.js';
import { createApp } from './app.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** Starts the service; on SIGTERM/SIGINT it shuts down gracefully. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, version);
  const logger = createLogger(config.logLevel);
  let app;
  try {
    app = await createApp(config, logger);
  } catch (err) {
    logger.fatal({ err }, `start-up failed: ${(err as Error).message}`);
    process.exit(1);
  }
  const port = await app.listen();
  logger.info({ host: config.host, port, auth: config.microsoftApp.appId ? 'on' : 'off (no MicrosoftAppId)' },
    `support-bot listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port} (Emulator: /api/messages)`);
  if (!config.microsoftApp.appId && !isLoopbackHost(config.host)) {
    // only with ALLOW_UNAUTHENTICATED=true (loadConfig refuses otherwise): anyone who reaches
    // /api/messages can claim any user id, so this is loud on purpose
    logger.error({ host: config.host }, 'channel authentication is OFF (no MicrosoftAppId) and the server is reachable beyond this machine (ALLOW_UNAUTHENTICATED=true): anyone who can reach it can claim any user id. Use this for local testing only.');
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      app.close().then(() => { logger.info('stopped'); process.exit(0); }, (err) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
