import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import http from 'node:http';
import { Pool } from 'pg';
import { Arg, Field, ID, Int, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';

/**
 * The ceilings `npm run bench:api` measures the API against in the same run: the same stack (express
 * 5, Apollo Server 5, type-graphql, pg) with nothing of Pedigree's (no authentication, limits,
 * metrics, TypeORM or loaders), answering a constant field and one row by primary key. On a slower
 * or busier machine both drop with the API's figures, so the API's share of them is comparable
 * across runs where absolute requests per second are not.
 */

@ObjectType('ReferenceRow')
class ReferenceRow {
  @Field(() => Int)
  version!: number;

  @Field()
  stage!: string;
}

function referenceResolver(pool: Pool) {
  @Resolver()
  class ReferenceResolver {
    @Query(() => Int)
    constant(): number {
      return 1;
    }

    @Query(() => ReferenceRow, { nullable: true })
    async row(@Arg('id', () => ID) id: string): Promise<ReferenceRow | null> {
      const { rows } = await pool.query('SELECT version, stage FROM model_version WHERE id = $1', [id]);
      return rows[0] ?? null;
    }
  }
  return ReferenceResolver;
}

export const REFERENCE_QUERIES = {
  constant: '{ constant }',
  row: 'query($id: ID!) { row(id: $id) { version stage } }',
};

export async function startReferenceServer(databaseUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  // type-graphql's metadata is global: the API's @Authorized fields, loaded in this process, need a checker to build any schema.
  const schema = await buildSchema({ resolvers: [referenceResolver(pool)], validate: false, authChecker: () => true });
  const apollo = new ApolloServer({ schema, plugins: [ApolloServerPluginCacheControlDisabled()], stopOnTerminationSignals: false });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
