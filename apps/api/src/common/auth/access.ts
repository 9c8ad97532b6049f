import type { ProjectRole } from '@pedigree/shared';

/**
 * What a root field needs, declared with `@Authorized(...)`: a project role (checked against the
 * project the field acts on), `ADMIN` for instance administration, or `SIGNED_IN` for fields about
 * the viewer themselves. Fields without a declaration are public and listed in the permission test.
 */
export type Access = ProjectRole | 'ADMIN' | 'SIGNED_IN';
