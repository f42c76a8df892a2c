import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import type { EscalationOptions } from './escalationDialog.js';
import { ESCALATION_DIALOG, SPECIALIST_TEAMS, specialistDialogId, type SpecialistTeam } from './dialogIds.js';

const SPECIALIST_WATERFALL = 'specialistWaterfall';

/**
 * Business, international and technical support: a few useful pointers, then routing to that
 * team through escalation (the case records the team).
 */
export class SpecialistDialog extends CancelAndHelpDialog {
  constructor(private readonly team: SpecialistTeam, deps: DialogDeps) {
    super(specialistDialogId(team), team, deps);
    if (!SPECIALIST_TEAMS.includes(team)) throw new Error(`[SpecialistDialog]: unknown team "${team}"`);
    this.addDialog(new WaterfallDialog(SPECIALIST_WATERFALL, [this.infoStep.bind(this), this.routeStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = SPECIALIST_WATERFALL;
  }

  /** Short guidance, then the offer to route to the team. */
  private async infoStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step, `specialist.${this.team}.info`);
    return this.ask(step, 'specialist.ask_route', ['yes', 'no_thanks'], { team: { key: `team.${this.team}` } });
  }

  /** Yes: escalation to the team. No: how to come back. */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.choice(step) === 'yes') return step.beginDialog(ESCALATION_DIALOG, { intent: this.team, team: this.team } satisfies EscalationOptions);
    await this.say(step, 'specialist.no_thanks');
    return step.endDialog();
  }

  /** Escalation ended. */
  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
