import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { tempDir } from '../support/server.js';

/** The real app on its own data folder and the given model cache, with its JSON log lines. */
async function start(modelCacheDir: string): Promise<{ app: App; logs: Array<Record<string, unknown>> }> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), MODEL_CACHE_DIR: modelCacheDir, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '2000' }, 'test');
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(l)); done(); } });
  return { app: await createApp(config, createLogger('info', sink)), logs };
}

const SAMPLES = ['I forgot my password', 'cant log in to the app', 'olvidé mi contraseña', 'my bill is too high', 'what is the capital of france'];

describe('start-up with the trained-model cache', function () {
  this.timeout(120_000);

  it('the first start trains and keeps the model; the next loads it and classifies the same', async () => {
    const cache = tempDir('model-cache-');
    const first = await start(cache);
    const second = await start(cache);
    try {
      const ready = (logs: Array<Record<string, unknown>>) => logs.find((l) => l.msg === 'recognizer ready');
      expect(ready(first.logs)).to.include({ models: 'trained' });
      expect(ready(second.logs)).to.include({ models: 'loaded from the model cache' });
      expect(readdirSync(cache).filter((f) => f.endsWith('.model'))).to.have.length(1);
      for (const text of SAMPLES) expect(second.app.recognizer.recognizeText(text), text).to.deep.equal(first.app.recognizer.recognizeText(text));
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });

  it('MODEL_CACHE_DIR=off trains at every start and keeps nothing', async () => {
    const data = tempDir();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: data, MODEL_CACHE_DIR: 'off', LOG_LEVEL: 'silent' }, 'test');
    const app = await createApp(config, createLogger('silent'));
    try {
      expect(readdirSync(data)).to.not.include('model-cache');
      expect(app.recognizer.recognizeText('I forgot my password').intents).to.have.property('password_reset');
    } finally { await app.close(); }
  });
});
