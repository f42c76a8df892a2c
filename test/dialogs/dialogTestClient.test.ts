import { expect } from 'chai';
import { join } from 'node:path';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { FrustrationDetector } from '../../src/conversation/frustration.js';
import { ProgressAccessor } from '../../src/conversation/progress.js';
import { ConditionalConversationState } from '../../src/storage/conditionalState.js';
import { tempStores } from '../support/stores.js';
import { EscalationDialog } from '../../dialogs/escalationDialog.js';
import type { Recognizer } from '../../src/nlu/recognizerPort.js';
import { TableRecognizer } from '../support/tableRecognizer.js';
import { config, content, recognizer, head, RecordingHandoff, textOf } from './harness.js';

/** The escalation dialog on its own (botbuilder-testing's DialogTestClient), without the router. */
describe('escalation dialog alone (DialogTestClient)', () => {
  async function client(options: object, recognizerUsed: Recognizer = recognizer()) {
    const stores = await tempStores();
    const conversationState = new ConditionalConversationState(stores.state);
    const cases = stores.cases;
    const dialog = new EscalationDialog({
      recognizer: recognizerUsed, content, cases, handoff: new RecordingHandoff(cases), feedback: stores.feedback,
      frustration: FrustrationDetector.load(join(config.contentDir, 'frustration.yml')), progress: new ProgressAccessor(conversationState),
    });
    return { cases, test: new DialogTestClient('webchat', dialog, options, [], conversationState) };
  }

  it('routes to the team it was given and ends with the case number', async () => {
    const { cases, test } = await client({ intent: 'international', team: 'international' });
    expect(textOf(await test.sendActivity('hi'))).to.include(head('escalate.ask_method_team'));
    const reply = textOf(await test.sendActivity('3'));
    const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(reply)![0];
    expect(test.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(test.dialogTurnResult.result).to.deep.equal({ caseNumber: number, method: 'phone' });
    expect(await cases.get(number)).to.include({ intent: 'international', team: 'international', contactMethod: 'phone' });
  });

  it('ends, telling its caller why, when the customer cancels', async () => {
    const { test } = await client({});
    await test.sendActivity('hi');
    expect(textOf(await test.sendActivity('never mind'))).to.include(head('cancel.done'));
    expect(test.dialogTurnResult.status).to.equal(DialogTurnStatus.complete);
    expect(test.dialogTurnResult.result).to.deep.equal({ cancelled: true });
  });

  describe('with a hand-written recognizer (a table, no model trained)', () => {
    it('cancels when the recognizer reads the message as cancel, and only then', async () => {
      const says = new TableRecognizer({ 'get me out of here': 'cancel' });
      const { test } = await client({}, says);
      await test.sendActivity('hi');
      expect(textOf(await test.sendActivity('get me out of here'))).to.include(head('cancel.done'));
      expect(test.dialogTurnResult.result).to.deep.equal({ cancelled: true });
      expect(says.asked, 'the dialog asked the recognizer it was given').to.include('get me out of here');

      const { test: other } = await client({}, new TableRecognizer({}));
      await other.sendActivity('hi');
      const reply = textOf(await other.sendActivity('get me out of here'));
      expect(reply, 'read as none, the words are no answer: the question is asked again').not.to.include(head('cancel.done'));
      expect(other.dialogTurnResult.status).to.equal(DialogTurnStatus.waiting);
    });

    it('runs the whole dialog on it: a channel by number, then the case number', async () => {
      const { cases, test } = await client({ intent: 'international', team: 'international' }, new TableRecognizer({}));
      expect(textOf(await test.sendActivity('hi'))).to.include(head('escalate.ask_method_team'));
      const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(textOf(await test.sendActivity('3')))![0];
      expect(test.dialogTurnResult.result).to.deep.equal({ caseNumber: number, method: 'phone' });
      expect(await cases.get(number)).to.include({ intent: 'international', team: 'international' });
    });
  });
});
