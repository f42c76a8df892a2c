import { expect } from 'chai';
import { startServer, request, activity, say, type TestServer } from '../support/server.js';
import { storedText } from '../support/stores.js';

describe('privacy through the real server (/api/messages)', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('warns a customer who types a secret, still answers, and keeps no secret on disk', async () => {
    const r = await say(srv.base, 'priv-1', 'I forgot my password, my old password was Hunter2! and my pin is 1234');
    expect(r.status).to.equal(200);
    expect(r.texts[0]).to.equal(srv.app.content.text('privacy.warning'));
    expect(r.texts.length, 'the bot carries on with the turn').to.be.greaterThan(1);
    expect(r.texts.slice(1).join(' ')).to.match(/forgot password/i);
    await srv.app.stores.flush();
    // every file of every store: transcripts, conversation state, cases
    const onDisk = storedText(srv.config.dataDir);
    expect(onDisk).to.include('priv-1').and.include('[REDACTED:password]').and.include('[REDACTED:pin]');
    expect(onDisk).to.not.match(/Hunter2|(?<![\d-])1234(?!\d)/);
  });

  it('hides the message after "let me type my password" and a lone password after sign-in talk, on disk too', async () => {
    const warning = srv.app.content.text('privacy.warning');
    const first = await say(srv.base, 'priv-ctx', 'ok let me type my password');
    expect(first.texts).to.not.include(warning);
    const typed = await say(srv.base, 'priv-ctx', 'Sunflower#88');
    expect(typed.texts[0]).to.equal(warning);
    await say(srv.base, 'priv-ctx2', 'I cant log in to the app');
    const token = await say(srv.base, 'priv-ctx2', 'Tr0ub4dor&3');
    expect(token.texts[0]).to.equal(warning);
    await srv.app.stores.flush();
    // every file of every store: transcripts, conversation state, cases
    expect(storedText(srv.config.dataDir)).to.include('priv-ctx').and.not.match(/Sunflower|Tr0ub4dor/);
    const page = await srv.app.stores.transcripts.getTranscriptActivities('emulator', 'priv-ctx');
    expect(page.items.filter((a) => a.from.role === 'user').map((a) => a.text)).to.deep.equal(['ok let me type my password', '[REDACTED:password]']);
  });

  it('does not warn about an ordinary sign-in problem', async () => {
    const r = await say(srv.base, 'priv-2', 'my password is not working');
    expect(r.texts).to.not.include(srv.app.content.text('privacy.warning'));
  });

  it('records both sides of the conversation in the transcript store', async () => {
    await say(srv.base, 'priv-3', 'hello');
    const page = await srv.app.stores.transcripts.getTranscriptActivities('emulator', 'priv-3');
    const roles = page.items.filter((a) => a.type === 'message').map((a) => a.from.role);
    expect(roles).to.include.members(['user', 'bot']);
  });

  it('ignores a hand-off status event for a conversation that is not waiting', async () => {
    const r = await request('POST', `${srv.base}/api/messages`, activity('priv-4', undefined, { type: 'event', name: 'handoff.status', value: { state: 'accepted' } }));
    expect(r.status).to.equal(200);
    expect((r.json?.activities ?? []).filter((a: { type: string }) => a.type === 'message')).to.deep.equal([]);
    const after = await say(srv.base, 'priv-4', 'hello');
    expect(after.messages.length).to.be.greaterThan(0);
  });
});
