import { artifactPathProblem, assertArtifactPath, decodePercentEscapes } from '../src/modules/artifact/artifact-path';
import { BENIGN_PATHS, hostilePaths } from './fixtures/hostile-paths';

describe('the artifact path rule', () => {
  it('refuses every path of the hostile corpus, saying why', () => {
    const corpus = hostilePaths();
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
    const accepted = corpus.filter((path) => artifactPathProblem(path) === null);
    expect(accepted).toEqual([]);
  });

  it('accepts ordinary file names, including spaces, accents, colons and a literal %', () => {
    expect(BENIGN_PATHS.filter((path) => artifactPathProblem(path) !== null)).toEqual([]);
  });

  it('sees through every layer of percent-encoding', () => {
    expect(artifactPathProblem('a/%2e%2e/b')).toBe('must not contain ".." segments, also once percent-decoded');
    expect(artifactPathProblem('a/%252e%252e/b')).toBe('must not contain ".." segments, also once percent-decoded');
    expect(artifactPathProblem('..%c0%afetc')).toBe('must not contain percent escapes that are not valid UTF-8');
    expect(artifactPathProblem('%25252525252e')).toBe('must not be percent-encoded over and over');
    expect(artifactPathProblem('\uff0e\uff0e\uff0fetc')).toBe('must not contain ".." segments');
  });

  it('raises BAD_USER_INPUT', () => {
    expect(() => assertArtifactPath('../etc/passwd')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: 'The artifact path must not contain ".." segments.' }));
    expect(assertArtifactPath('model/model.pkl')).toBe('model/model.pkl');
  });

  it('decodes escapes as UTF-8 and leaves a lone % alone', () => {
    expect(decodePercentEscapes('caf%C3%A9 100%')).toBe('café 100%');
    expect(decodePercentEscapes('%EF%BB%BFmodel.pkl')).toBe('\ufeffmodel.pkl');
    expect(() => decodePercentEscapes('%c0%af')).toThrow();
  });
});
