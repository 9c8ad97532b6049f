/** Project roles, each including every right of the ones before it. */
export const ProjectRole = {
  VIEWER: 'VIEWER',
  CONTRIBUTOR: 'CONTRIBUTOR',
  REVIEWER: 'REVIEWER',
  OWNER: 'OWNER',
} as const;

export type ProjectRole = (typeof ProjectRole)[keyof typeof ProjectRole];

export const PROJECT_ROLES_ASCENDING: readonly ProjectRole[] = ['VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER'];

export function roleRank(role: ProjectRole): number {
  return PROJECT_ROLES_ASCENDING.indexOf(role);
}

/** True when `held` carries every right of `needed`. */
export function roleSatisfies(held: ProjectRole, needed: ProjectRole): boolean {
  return roleRank(held) >= roleRank(needed);
}

/** The lower of two roles: what an API token capped at `cap` may do for a member holding `held`. */
export function lowerRole(held: ProjectRole, cap: ProjectRole): ProjectRole {
  return roleRank(held) <= roleRank(cap) ? held : cap;
}
