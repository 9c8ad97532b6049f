import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import http from 'node:http';
import type { DataSource } from 'typeorm';
import { formatError } from './common/errors/format-error';
import { requestContextMiddleware } from './common/request-context';
import { loadWebhookSettings, type WebhookSettings } from './config';
import { type Context, contextFactory } from './context';
import { logger } from './logger';
import { auditExportHandler } from './modules/audit/audit.export';
import { deniedWritesAuditPlugin } from './modules/audit/audit.plugin';
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
  const httpServer = http.createServer(app);
  const schema = await buildPedigreeSchema(createServices(dataSource, auth, webhooks));
  const apollo = new ApolloServer<Context>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), deniedWritesAuditPlugin(dataSource)],
  });
  await apollo.start();

  app.use(requestContextMiddleware);
  app.get('/healthz', async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch (error) {
      logger.error({ err: error }, 'health check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/api/audit/export', auditExportHandler(dataSource, auth.secret));
  app.use('/graphql', express.json({ limit: '2mb' }), expressMiddleware(apollo, { context: contextFactory(dataSource, auth.secret) }));

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
