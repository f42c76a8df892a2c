import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets are redacted by path; message text is only ever logged at
 * debug level by callers, never at info.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({
    level,
    base: { service: 'support-bot' },
    redact: {
      paths: ['*.authorization', '*.headers.authorization', 'req.headers.authorization', '*.password', '*.secret', '*.token', 'config.microsoftApp.password', 'config.adminToken', 'config.directLine.secret'],
      censor: '[redacted]',
    },
  }, destination as pino.DestinationStream | undefined);
}
