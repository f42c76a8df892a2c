import type { DeskTeam } from '../handoff/teams.js';

export const STAFF_ROLES = ['agent', 'supervisor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Availability = 'available' | 'away';

/** A person who answers customers on the desk. */
export interface StaffAccount {
  /** Lower case, unique; what they sign in with. */
  username: string;
  /** Shown to customers ("Sam joined the chat"): the first name is enough. */
  displayName: string;
  role: StaffRole;
  teams: DeskTeam[];
  /** A memory-hard KDF's output with its parameters (`scrypt$…`, see `src/desk/passwords.ts`); never the password. */
  passwordHash: string;
  /** Whether they take new chats while signed in. */
  availability: Availability;
  createdAt: string;
  updatedAt: string;
}

/** What may change on an account. */
export type StaffChanges = Partial<Pick<StaffAccount, 'displayName' | 'role' | 'teams' | 'passwordHash' | 'availability'>>;

/**
 * Staff accounts, shared by every instance. Usernames are unique: of two `create` calls for one
 * name (on any instances) exactly one returns true. Writes resolve once durable.
 */
export interface StaffStore {
  /** Adds the account; false (and nothing changed) when the username exists. */
  create(account: StaffAccount): Promise<boolean>;
  get(username: string): Promise<StaffAccount | undefined>;
  /** Every account, by username. */
  list(): Promise<StaffAccount[]>;
  /** Applies `changes` (and a new `updatedAt`); undefined for an unknown username. */
  update(username: string, changes: StaffChanges, at: string): Promise<StaffAccount | undefined>;
  remove(username: string): Promise<boolean>;
}
