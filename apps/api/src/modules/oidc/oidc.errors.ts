/**
 * A sign-in that cannot complete. The browser gets `message` on a page with `status`; `reason` is
 * a stable code for the audit trail and for tests.
 */
export class SignInError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

export const START_AGAIN = 'Start again from the sign-in page.';
