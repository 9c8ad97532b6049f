import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import http from 'node:http';
import type { DataSource } from 'typeorm';
import { formatError } from './common/errors/format-error';
import { requestContextMiddleware } from './common/request-context';
import { loadArtifactSettings, loadQueryLimits, loadWebhookSettings, type WebhookSettings } from './config';
import { costBudgetPlugin, queryLimitRules, refuseLongQueries, requestTimeout } from './common/graphql/query-limits';
import { metricsRegistry, registerDatabaseGauges, requestMetricsPlugin } from './common/observability/metrics';
import { type Context, contextFactory } from './context';
import { logger } from './logger';
import { artifactRouter } from './modules/artifact/artifact.routes';
import { auditExportHandler } from './modules/audit/audit.export';
import { deniedWritesAuditPlugin } from './modules/audit/audit.plugin';
import { oidcRouter } from './modules/oidc/oidc.routes';
import { openLineageRouter } from './modules/openlineage/openlineage.route';
import { startWebhookWorker } from './modules/webhook/webhook.worker';
import { type AuthSettings, buildPedigreeSchema, createServices } from './schema';

export interface PedigreeServer {
  httpServer: http.Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves `/graphql` and `/healthz` on `port` (0 picks a free one, as tests do), and runs the
 * webhook delivery worker until stopped.
 */
export async function startServer(
  dataSource: DataSource,
  auth: AuthSettings,
  port: number,
  webhooks: WebhookSettings = loadWebhookSettings(),
): Promise<PedigreeServer> {
  const app = express();
  // GraphQL answers are POST responses no cache revalidates; hashing each for an ETag is wasted work.
  // Artifact downloads set their own (the digest).
  app.set('etag', false);
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const services = createServices(dataSource, auth, webhooks);
  const schema = await buildPedigreeSchema(services);
  const limits = loadQueryLimits();
  const production = process.env.NODE_ENV === 'production';
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules: queryLimitRules(limits),
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // main.ts handles SIGTERM/SIGINT: drain, close the pools, exit 0. Apollo's own handler would race
    // it, and a stop() concurrent with another never resolves (Apollo 5.5.1), so shutdown would hang.
    stopOnTerminationSignals: false,
    // Production answers do not describe the schema: no introspection, no "did you mean" hints.
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    plugins: [
      // No field sets cache hints, and the default cache-control plugin wraps every resolver call.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      deniedWritesAuditPlugin(dataSource),
      requestMetricsPlugin,
      costBudgetPlugin(limits.costPerMinute),
    ],
  });
  registerDatabaseGauges(dataSource);
  await apollo.start();

  app.use(requestContextMiddleware);
  // Alive: the process answers. Ready: the database answers and every migration is applied.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      const pending = await dataSource.showMigrations();
      if (pending) res.status(503).json({ status: 'migrations pending' });
      else res.json({ status: 'ready' });
    } catch (error) {
      logger.error({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });
  // GraphQL first: it takes nearly every request, which then skips matching the routers below.
  app.use('/graphql', requestTimeout(limits.requestTimeoutMs), express.json({ limit: '2mb' }), refuseLongQueries(limits.maxQueryBytes), expressMiddleware(apollo, { context: contextFactory(dataSource, auth.secret) }));
  app.get('/api/audit/export', auditExportHandler(dataSource, auth.secret));
  app.use(oidcRouter(services.oidc));
  app.use('/api/v1/lineage', openLineageRouter(dataSource, auth.secret));
  app.use(artifactRouter(dataSource, auth.secret, loadArtifactSettings()));

  await new Promise<void>((resolve) => httpServer.listen(port, resolve));
  const webhookWorker = startWebhookWorker(dataSource, webhooks);
  const address = httpServer.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    httpServer,
    url: `http://localhost:${boundPort}/graphql`,
    stop: async () => {
      await apollo.stop();
      await webhookWorker.stop();
    },
  };
}
