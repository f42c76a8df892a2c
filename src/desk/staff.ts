import { DESK_TEAMS, isDeskTeam, type DeskTeam } from '../handoff/teams.js';
import type { StaffStore, StaffAccount, StaffRole } from '../storage/staffStore.js';
import { STAFF_ROLES } from '../storage/staffStore.js';
import type { DeskSessionStore } from '../storage/deskSessionStore.js';
import { hashPassword, passwordProblem } from './passwords.js';

/** What creating an account takes (the `POST /api/staff` body, the CLI's arguments). */
export interface NewStaff { username: string; password: string; displayName: string; role: StaffRole; teams?: DeskTeam[] }

/** A refusal the caller shows as it is: 400 for a bad field, 409 for a taken username. */
export class StaffError extends Error {
  constructor(readonly status: 400 | 404 | 409, message: string) {
    super(message);
    this.name = 'StaffError';
  }
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
// letters of any script, marks, spaces and a little punctuation: a name, not markup
const DISPLAY_NAME = /^[\p{L}\p{M}][\p{L}\p{M}\p{N} .'’-]{0,59}$/u;

/** Lower-cased and trimmed, as usernames are stored and looked up. */
export function normaliseUsername(u: string): string { return u.trim().toLowerCase(); }

/** Why `body` is not a valid new account, or undefined. Unknown fields are refused too (typos would be lost). */
export function newStaffProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON object like {"username", "password", "displayName", "role", "teams"}.';
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !['username', 'password', 'displayName', 'role', 'teams'].includes(k));
  if (unknown) return `Unknown field "${unknown.slice(0, 40)}": send username, password, displayName, role and teams.`;
  if (typeof b.username !== 'string' || !USERNAME.test(normaliseUsername(b.username))) return '"username" must be 2 to 32 characters: letters a-z, digits, dot, dash or underscore, starting with a letter or digit.';
  if (typeof b.displayName !== 'string' || !DISPLAY_NAME.test(b.displayName.trim())) return '"displayName" must be a name of 1 to 60 characters (letters, spaces, . \' -): customers see its first word.';
  if (!(STAFF_ROLES as readonly unknown[]).includes(b.role)) return `"role" must be one of ${STAFF_ROLES.join(', ')}.`;
  if (b.teams !== undefined) {
    if (!Array.isArray(b.teams) || b.teams.length === 0 || b.teams.length > DESK_TEAMS.length || !b.teams.every(isDeskTeam)) return `"teams" must be a non-empty list of ${DESK_TEAMS.join(', ')}.`;
  }
  return passwordProblem(b.password, normaliseUsername(b.username));
}

/** Creates an account; throws `StaffError` 400 (with the reason) or 409 (username taken). */
export async function createStaff(store: StaffStore, body: unknown, now: Date): Promise<StaffAccount> {
  const problem = newStaffProblem(body);
  if (problem) throw new StaffError(400, problem);
  const b = body as NewStaff;
  const at = now.toISOString();
  const teams = b.teams ? [...new Set(b.teams)] : b.role === 'supervisor' ? [...DESK_TEAMS] : ['general' as const];
  const account: StaffAccount = {
    username: normaliseUsername(b.username), displayName: b.displayName.trim().replace(/\s+/g, ' '), role: b.role, teams,
    passwordHash: await hashPassword(b.password), availability: 'away', createdAt: at, updatedAt: at,
  };
  if (!(await store.create(account))) throw new StaffError(409, `There is already an account "${account.username}".`);
  return account;
}

/** Sets a new password and signs the person out everywhere (whoever had the old one is out too). */
export async function changePassword(store: StaffStore, sessions: DeskSessionStore, username: string, password: string, now: Date): Promise<void> {
  const name = normaliseUsername(username);
  const problem = passwordProblem(password, name);
  if (problem) throw new StaffError(400, problem);
  if (!(await store.update(name, { passwordHash: await hashPassword(password) }, now.toISOString()))) throw new StaffError(404, `There is no account "${name}".`);
  await sessions.deleteUser(name);
}

/** Removes an account and its sessions. */
export async function removeStaff(store: StaffStore, sessions: DeskSessionStore, username: string): Promise<void> {
  const name = normaliseUsername(username);
  if (!(await store.remove(name))) throw new StaffError(404, `There is no account "${name}".`);
  await sessions.deleteUser(name);
}

/** An account as anyone may see it: never the password hash. */
export function staffView(a: StaffAccount): Omit<StaffAccount, 'passwordHash'> {
  const { passwordHash: _hash, ...rest } = a;
  return rest;
}

/** The first name, as customers see it ("Sam joined the chat"). */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] || displayName;
}
