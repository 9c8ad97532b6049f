import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { badInput } from '../../common/errors/app-error';

export const MAX_ARTIFACT_PATH_LENGTH = 1024;
/** NAME_MAX of common filesystems, so a path can be materialised by a client that downloads it. */
const MAX_SEGMENT_BYTES = 255;
/** A path decoded this many times and still changing is an attack, not a file name. */
const MAX_DECODE_ROUNDS = 4;

/** C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and the BOM: invisible or spoofing. */
const INVISIBLE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
// `ignoreBOM: true` keeps a leading U+FEFF in the output, where the invisible-character rule sees it.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes every run of `%XX` escapes, leaving a lone `%` as it is. Escapes that are not valid UTF-8
 * throw: an overlong `/` (`%c0%af`) is how traversal slips past decoders that accept it.
 */
export function decodePercentEscapes(text: string): string {
  return text.replace(ESCAPE_RUN, (run) => strictUtf8.decode(Buffer.from(run.replace(/%/g, ''), 'hex')));
}

/** What makes one form of a path (as given, decoded, or compatibility-normalised) unsafe to hand to a filesystem. */
function unsafeFormProblem(form: string): string | null {
  if (form.includes('\\')) return 'must not contain backslashes';
  if (INVISIBLE_CHARACTERS.test(form)) return 'must not contain control, bidirectional or other invisible characters';
  if (form.startsWith('/')) return 'must be relative, not start with "/"';
  if (/^[A-Za-z]:/.test(form)) return 'must be relative, not start with a drive letter';
  const segments = form.split('/');
  if (segments.includes('..')) return 'must not contain ".." segments';
  if (segments.includes('.')) return 'must be normalised, without "." segments';
  if (segments.includes('')) return 'must be normalised, without empty segments ("//", or "/" at the end)';
  // Windows drops trailing dots and spaces, which turns "..." or ".. " into "..".
  if (segments.some((segment) => /[. ]$/.test(segment))) return 'must not have a segment ending in "." or a space';
  return null;
}

/**
 * Why `path` is not an acceptable artifact path, or null when it is. One rule for uploads,
 * downloads and finishRun: relative, normalised, at most 1,024 characters in Unicode NFC, no `..`,
 * no backslash, no control characters, no drive letter — checked on the path as given, on every
 * percent-decoding of it (so `%2e%2e%2f` and `%252e%252e%252f` are refused), and on the NFKC form
 * of each (so fullwidth `．．／` is too).
 */
export function artifactPathProblem(path: string): string | null {
  if (path.length === 0) return 'must not be empty';
  if (path.length > MAX_ARTIFACT_PATH_LENGTH) return `must be at most ${MAX_ARTIFACT_PATH_LENGTH} characters`;
  if (path !== path.normalize('NFC')) return 'must be in Unicode NFC form';
  let form = path;
  for (let round = 0; ; round += 1) {
    const problem = unsafeFormProblem(form) ?? unsafeFormProblem(form.normalize('NFKC'));
    if (problem) return round === 0 ? problem : `${problem}, also once percent-decoded`;
    let decoded: string;
    try {
      decoded = decodePercentEscapes(form);
    } catch {
      return 'must not contain percent escapes that are not valid UTF-8';
    }
    if (decoded === form) break;
    if (round === MAX_DECODE_ROUNDS) return 'must not be percent-encoded over and over';
    form = decoded;
  }
  if (path.split('/').some((segment) => Buffer.byteLength(segment) > MAX_SEGMENT_BYTES)) return `must not have a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  return null;
}

/** The path itself when acceptable; BAD_USER_INPUT saying what is wrong otherwise. */
export function assertArtifactPath(path: string): string {
  const problem = artifactPathProblem(path);
  if (problem) throw badInput(`The artifact path ${problem}.`, { rule: 'artifact-path' });
  return path;
}

/** class-validator's form of `artifactPathProblem`, for GraphQL inputs. */
export function IsArtifactPath(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isArtifactPath',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && artifactPathProblem(value) === null,
        defaultMessage: ({ property, value }: ValidationArguments) => `${property} ${typeof value === 'string' ? artifactPathProblem(value) : 'must be a string'}`,
      },
    });
}
