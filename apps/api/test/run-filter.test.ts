import { AppError } from '../src/common/errors/app-error';
import { compileRunFilter } from '../src/modules/run/run.filter';

describe('the runs filter', () => {
  it('compiles to parameterised SQL, never splicing input into it', () => {
    const compiled = compileRunFilter(`status = "FINISHED" and params.optimizer = 'a"; DROP TABLE run; --' and metrics.val_auc >= 0.9`);
    expect(compiled.sql).not.toMatch(/DROP|FINISHED|0\.9/);
    expect(Object.values(compiled.params)).toEqual(['FINISHED', 'optimizer', 'a"; DROP TABLE run; --', 'val_auc', 0.9]);
  });

  it('accepts backquoted keys and <> for !=', () => {
    const compiled = compileRunFilter('tags.`model type` <> "tree"');
    expect(compiled.sql).toContain('kv.value <>');
    expect(Object.values(compiled.params)).toEqual(['model type', 'tree']);
  });

  it.each([
    ['', /expected a field/],
    ['status', /expected a comparison .* at the end/],
    ['status = FINISHED', /expected a quoted string or a number at position 10/],
    ['status = "FINISHED" or name = "x"', /expected "and" at position 21/],
    ['metrics.auc > "high"', /compares with a number/],
    ['params.lr > "0.1"', /takes = or !=/],
    ['status = "FINISHED" ~', /Cannot read the filter at position 21/],
  ])('rejects %j with a message that says where', (filter, message) => {
    expect(() => compileRunFilter(filter)).toThrow(AppError);
    expect(() => compileRunFilter(filter)).toThrow(message);
  });
});
