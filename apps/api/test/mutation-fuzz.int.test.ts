import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  type GraphQLArgument, type GraphQLInputType, GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, buildSchema,
} from 'graphql';
import { seedFinishedRun, seedProject, seedUser, startRun } from './factories';
import { startTestApp, type TestApp } from './utils/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/schema.graphql'), 'utf8'));

/**
 * Values for any input type of the schema: mostly well-typed but hostile (empty, huge, unicode,
 * boundary numbers, ids of nothing), so every mutation meets inputs its validation must catch.
 */
function arbitraryFor(type: GraphQLInputType, known: { ids: string[]; keys: string[] }, depth = 0): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return arbitraryFor(type.ofType, known, depth);
  const nullable = (arbitrary: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: fc.constant(null) });
  if (type instanceof GraphQLList) return nullable(fc.array(arbitraryFor(type.ofType, known, depth + 1), { maxLength: depth > 1 ? 1 : 4 }));
  if (type instanceof GraphQLEnumType) return fc.constantFrom(...type.getValues().map((value) => value.name));
  if (type instanceof GraphQLInputObjectType) {
    if (depth > 3) return fc.constant(null);
    const fields = type.getFields();
    return fc.record(Object.fromEntries(Object.values(fields).map((field) => [field.name, arbitraryFor(field.type, known, depth + 1)])));
  }
  const scalar = (type as GraphQLScalarType).name;
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('', ' ', '../../etc/passwd', "'; DROP TABLE run; --", '\u0000', 'é✓🙂', 'x'.repeat(7000), ...known.keys),
  );
  switch (scalar) {
    case 'ID':
      return fc.oneof(fc.constantFrom(...known.ids), fc.uuid(), text);
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, -1, 2147483647, -2147483648));
    case 'SafeInt':
      return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1));
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308));
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return fc.oneof(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
        fc.constantFrom('not a date', '2026-13-45T99:00:00Z'),
        // The ends of what JavaScript and PostgreSQL each accept: year 0 exists only in JavaScript.
        fc.constantFrom('0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z'),
      );
    case 'JSON':
      return fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ nested: { deep: [1, 'two', null] } }));
    default:
      return text;
  }
}

const argumentList = (args: readonly GraphQLArgument[]) => args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');

describe('every mutation, fed generated inputs', () => {
  it('answers with data or a typed client error, never INTERNAL_SERVER_ERROR or a 5xx', async () => {
    const project = await seedProject(app);
    const owner = await seedUser(app, { project: project.key, role: 'OWNER' });
    const { run, commit, data } = await seedFinishedRun(app, owner.token, project.key);
    const running = await startRun(app, owner.token, project.key);
    const known = { ids: [run.id, commit.id, data.id, running.id, owner.id], keys: [project.key, owner.email, 'fraud', 'STAGING'] };
    // Sign-in attempts are rate limited per account; logging in is covered by its own tests.
    const mutations = Object.values(schema.getMutationType()!.getFields()).filter((field) => field.name !== 'login');
    const failures: string[] = [];
    for (const mutation of mutations) {
      const variables = fc.record(Object.fromEntries(mutation.args.map((arg) => [arg.name, arbitraryFor(arg.type, known)])));
      const selection = (() => {
        let type = mutation.type;
        while ('ofType' in type) type = (type as { ofType: typeof type }).ofType;
        return 'getFields' in type ? ' { __typename }' : '';
      })();
      const document = `mutation Fuzz(${argumentList(mutation.args)}) { ${mutation.name}(${mutation.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})${selection} }`;
      await fc.assert(
        fc.asyncProperty(variables, fc.constantFrom(owner.token, app.adminToken), async (values, token) => {
          const result = await app.gql(document, values, token);
          const codes = (result.errors ?? []).map((error) => error.extensions?.code);
          if (result.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) {
            failures.push(`${mutation.name} ${JSON.stringify(values).slice(0, 300)} -> ${result.status} ${JSON.stringify(result.errors).slice(0, 300)}`);
          }
        }),
        { numRuns: 25 },
      );
    }
    expect(failures).toEqual([]);
  });
});
