import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { buildSchema, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { SCHEMA_FILE, printPedigreeSchema } from '../src/emit-schema';

describe('the committed GraphQL schema', () => {
  it('matches the code; run `npm run schema:emit` after changing the API', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await printPedigreeSchema());
  });

  it('describes every type and field', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'Int', 'Float', 'ID', 'Query', 'Mutation'].includes(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('keeps the names clients rely on', () => {
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    const queries = Object.keys(schema.getQueryType()!.getFields());
    expect(mutations).toEqual(
      expect.arrayContaining(['login', 'createUser', 'createProject', 'addProjectMember', 'createApiToken', 'recordCommit', 'registerDataVersion', 'startRun', 'logMetrics', 'finishRun', 'registerModelVersion']),
    );
    expect(queries).toEqual(expect.arrayContaining(['me', 'projects', 'project', 'registeredModel', 'modelVersion', 'run', 'runs', 'node']));
  });
});

describe('root field permissions', () => {
  /**
   * Every root field with the access it declares. A change here is a permission change: it must be
   * made on purpose, and it reads as one in review. `PUBLIC` fields answer without a token.
   */
  const EXPECTED: Record<string, string> = {
    'Mutation.addProjectMember': 'OWNER',
    'Mutation.applyTransition': 'CONTRIBUTOR',
    'Mutation.cancelTransition': 'VIEWER',
    'Mutation.createApiToken': 'SIGNED_IN',
    'Mutation.createProject': 'ADMIN',
    'Mutation.createUser': 'ADMIN',
    'Mutation.createWebhook': 'OWNER',
    'Mutation.deactivateUser': 'ADMIN',
    'Mutation.deleteWebhook': 'OWNER',
    'Mutation.finishRun': 'CONTRIBUTOR',
    'Mutation.logMetrics': 'CONTRIBUTOR',
    'Mutation.login': 'PUBLIC',
    'Mutation.reactivateUser': 'ADMIN',
    'Mutation.recordCommit': 'CONTRIBUTOR',
    'Mutation.redeliverWebhook': 'OWNER',
    'Mutation.registerDataVersion': 'CONTRIBUTOR',
    'Mutation.registerModelVersion': 'CONTRIBUTOR',
    'Mutation.removeModelAlias': 'CONTRIBUTOR',
    'Mutation.removeProjectGroupRole': 'OWNER',
    'Mutation.requestTransition': 'CONTRIBUTOR',
    'Mutation.reviewTransition': 'REVIEWER',
    'Mutation.revokeApiToken': 'SIGNED_IN',
    'Mutation.setModelAlias': 'CONTRIBUTOR',
    'Mutation.setProjectGroupRole': 'OWNER',
    'Mutation.setPromotionPolicy': 'OWNER',
    'Mutation.setWebhookActive': 'OWNER',
    'Mutation.startRun': 'CONTRIBUTOR',
    'Query.apiTokens': 'SIGNED_IN',
    'Query.auditEvents': 'VIEWER',
    'Query.auditHead': 'VIEWER',
    'Query.explainPath': 'VIEWER',
    'Query.findNodes': 'VIEWER',
    'Query.impact': 'VIEWER',
    'Query.lineage': 'VIEWER',
    'Query.me': 'SIGNED_IN',
    'Query.modelVersion': 'VIEWER',
    'Query.modelVersions': 'VIEWER',
    'Query.node': 'VIEWER',
    'Query.project': 'VIEWER',
    'Query.projectGroupRoles': 'VIEWER',
    'Query.projects': 'VIEWER',
    'Query.promotionPolicies': 'VIEWER',
    'Query.provenance': 'VIEWER',
    'Query.registeredModel': 'VIEWER',
    'Query.run': 'VIEWER',
    'Query.runs': 'VIEWER',
    'Query.transitionRequests': 'VIEWER',
    'Query.verifyAuditChain': 'VIEWER',
    'Query.webhookDeliveries': 'OWNER',
    'Query.webhooks': 'OWNER',
  };

  it('declares the expected access on every query and mutation', async () => {
    await printPedigreeSchema(); // builds the schema, which fills type-graphql's metadata
    const storage = getMetadataStorage();
    const declared: Record<string, string> = {};
    for (const handler of [...storage.queries, ...storage.mutations]) {
      const kind = storage.queries.includes(handler) ? 'Query' : 'Mutation';
      const auth = storage.authorizedFields.find((field) => field.target === handler.target && field.fieldName === handler.methodName);
      declared[`${kind}.${handler.schemaName}`] = auth ? auth.roles.join('|') : 'PUBLIC';
    }
    expect(declared).toEqual(EXPECTED);
  });
});
