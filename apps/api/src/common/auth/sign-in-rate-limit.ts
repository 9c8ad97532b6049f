import { AppError, AppErrorCode } from '../errors/app-error';

export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

/**
 * Counts sign-in attempts per account and per client address in a sliding window, in this process:
 * with N replicas an attacker gets at most N times the budget, which still makes guessing slow.
 */
export class SignInRateLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(private readonly limits: SignInLimits) {}

  /** Records an attempt, or refuses it with RATE_LIMITED and the seconds to wait. */
  check(email: string, address: string | null, now = Date.now()): void {
    const keys: Array<[string, number]> = [[`account:${email.trim().toLowerCase()}`, this.limits.perAccount]];
    if (address) keys.push([`address:${address}`, this.limits.perAddress]);
    for (const [key, limit] of keys) {
      const recent = (this.attempts.get(key) ?? []).filter((time) => time > now - this.limits.windowMs);
      this.attempts.set(key, recent);
      if (recent.length >= limit) {
        const waitSeconds = Math.ceil((recent[0] + this.limits.windowMs - now) / 1000);
        throw new AppError(AppErrorCode.RATE_LIMITED, `Too many sign-in attempts; wait ${waitSeconds} seconds and try again.`, { retryAfterSeconds: waitSeconds });
      }
    }
    for (const [key] of keys) (this.attempts.get(key) as number[]).push(now);
    if (this.attempts.size > 100_000) this.forgetIdle(now);
  }

  /** Keeps memory bounded under a flood of distinct keys. */
  private forgetIdle(now: number): void {
    for (const [key, times] of this.attempts) if (!times.some((time) => time > now - this.limits.windowMs)) this.attempts.delete(key);
  }
}
