import { AppError, AppErrorCode, conflict } from '../../common/errors/app-error';

/** An upload over PEDIGREE_ARTIFACT_MAX_BYTES: BAD_USER_INPUT, answered with HTTP 413. */
export class ArtifactTooLargeError extends AppError {
  constructor(readonly maxBytes: number) {
    super(AppErrorCode.BAD_USER_INPUT, `The artifact is larger than the limit of ${maxBytes} bytes (PEDIGREE_ARTIFACT_MAX_BYTES); nothing was stored.`, { maxBytes });
  }
}

export const digestMismatch = (expectedDigest: string, actualDigest: string) =>
  conflict(`The bytes received hash to ${actualDigest}, not to ${expectedDigest} as x-pedigree-digest says; nothing was stored. Check the file and send it again.`, {
    expectedDigest,
    actualDigest,
  });
