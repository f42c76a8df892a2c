/** The teams a person can be reached in; each staff account serves some of them. */
export const DESK_TEAMS = ['general', 'business', 'technical', 'international'] as const;
export type DeskTeam = (typeof DESK_TEAMS)[number];

/** Case teams (the specialist dialogs' ids) as desk teams: no team is the general one. */
const FROM_CASE_TEAM: Record<string, DeskTeam> = { business: 'business', international: 'international', tech_support: 'technical', technical: 'technical', general: 'general' };

/** The desk team that takes a case of `caseTeam` (`tech_support` → `technical`, none → `general`). */
export function deskTeam(caseTeam: string | undefined): DeskTeam {
  return (caseTeam && FROM_CASE_TEAM[caseTeam]) || 'general';
}

export function isDeskTeam(v: unknown): v is DeskTeam {
  return typeof v === 'string' && (DESK_TEAMS as readonly string[]).includes(v);
}
