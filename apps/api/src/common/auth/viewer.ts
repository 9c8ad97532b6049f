import { lowerRole, type ProjectRole, roleSatisfies } from '@pedigree/shared';
import { AppError, AppErrorCode } from '../errors/app-error';

export interface ViewerUser {
  id: string;
  email: string;
  isAdmin: boolean;
}

/** How a request proved who is asking. */
export const AuthMethod = {
  PASSWORD: 'PASSWORD',
  OIDC: 'OIDC',
  API_TOKEN: 'API_TOKEN',
} as const;

export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

/** How, and when, the person behind a request last proved who they are. */
export interface ViewerAuthentication {
  method: AuthMethod;
  /** When the password was checked or the identity provider authenticated the user; null for API tokens. */
  authenticatedAt: Date | null;
}

/** Limits an API token puts on what its user may do. */
export interface TokenScope {
  tokenId: string;
  projectId: string | null;
  role: ProjectRole | null;
}

/**
 * Who is asking, and what they may do in each project: a member's role, lowered by the API
 * token's caps when the request came with one. A project absent from the map is invisible.
 */
export class Viewer {
  private readonly roles: ReadonlyMap<string, ProjectRole>;

  constructor(
    readonly user: ViewerUser,
    memberships: ReadonlyMap<string, ProjectRole>,
    readonly token: TokenScope | null = null,
    /** Null for viewers made inside the server (seeding), which no request authenticated. */
    readonly authentication: ViewerAuthentication | null = null,
  ) {
    const effective = new Map<string, ProjectRole>();
    for (const [projectId, role] of memberships) {
      if (token?.projectId && token.projectId !== projectId) continue;
      effective.set(projectId, token?.role ? lowerRole(role, token.role) : role);
    }
    this.roles = effective;
  }

  get id(): string {
    return this.user.id;
  }

  /** Instance administration needs the user's own rights, not a token capped to a project or role. */
  get isAdmin(): boolean {
    return this.user.isAdmin && !this.token?.projectId && !this.token?.role;
  }

  get readableProjectIds(): string[] {
    return [...this.roles.keys()];
  }

  roleIn(projectId: string): ProjectRole | null {
    return this.roles.get(projectId) ?? null;
  }

  canRead(projectId: string): boolean {
    return this.roles.has(projectId);
  }

  /**
   * Throws unless the viewer holds `needed` in the project. An outsider is told the thing was not
   * found, so project contents do not leak; a member with too low a role is told what it needs.
   */
  require(projectId: string, needed: ProjectRole, what: string): void {
    const held = this.roleIn(projectId);
    if (!held) throw new AppError(AppErrorCode.NOT_FOUND, `${what} was not found, or you have no access to it`);
    if (!roleSatisfies(held, needed)) {
      throw new AppError(AppErrorCode.FORBIDDEN, `This needs the ${needed} role in the project; you act as ${held}. Ask a project OWNER for access.`, { requiredRole: needed, projectId });
    }
  }
}
