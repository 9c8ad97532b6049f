import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { DataSource } from 'typeorm';
import { authenticate } from '../../common/auth/authenticate';
import type { Viewer } from '../../common/auth/viewer';
import { AppError, AppErrorCode } from '../../common/errors/app-error';
import { Project } from '../project/project.entity';
import { OpenLineageService } from './openlineage.service';
import { sendHttpError } from '../../common/errors/http-error';


/** At most this many events per request; larger streams are posted in batches. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/**
 * The project events go to: the `project` query parameter, else the project the API token is
 * capped to, else the viewer's only project. A token that may write to several must name one.
 */
async function targetProject(dataSource: DataSource, viewer: Viewer, requested: unknown): Promise<string> {
  if (typeof requested === 'string' && requested !== '') return requested;
  const projectIds = viewer.token?.projectId ? [viewer.token.projectId] : viewer.readableProjectIds;
  if (projectIds.length === 1) {
    const project = await dataSource.manager.findOneBy(Project, { id: projectIds[0] });
    if (project) return project.key;
  }
  throw new AppError(AppErrorCode.BAD_USER_INPUT, 'Name the project with ?project=KEY: this token is not limited to one project.');
}

/**
 * `POST /api/v1/lineage[?project=KEY][&lenient=true]`: one OpenLineage RunEvent or an array of
 * them, with `Authorization: Bearer <API token>` of a project CONTRIBUTOR. Answers with what
 * became of each event; errors have the GraphQL error shape, as on the other HTTP routes.
 */
function openLineageHandler(dataSource: DataSource, secret: string) {
  const service = new OpenLineageService(dataSource);
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const { viewer, failure } = await authenticate(dataSource, secret, req.header('authorization'));
      if (!viewer) throw new AppError(AppErrorCode.UNAUTHENTICATED, failure ?? 'Send Authorization: Bearer <API token>.');
      const lenient = req.query.lenient === 'true';
      const body: unknown = req.body;
      if (body === undefined || body === null || typeof body !== 'object') {
        throw new AppError(AppErrorCode.BAD_USER_INPUT, 'Send one OpenLineage RunEvent or an array of them as JSON, with content-type: application/json.');
      }
      const events = Array.isArray(body) ? body : [body];
      if (events.length === 0) throw new AppError(AppErrorCode.BAD_USER_INPUT, 'The array holds no events.');
      if (events.length > MAX_EVENTS_PER_REQUEST) throw new AppError(AppErrorCode.BAD_USER_INPUT, `At most ${MAX_EVENTS_PER_REQUEST} events per request; post the rest in further batches.`);
      const project = await targetProject(dataSource, viewer, req.query.project);
      res.json(await service.ingest(viewer, project, events, lenient));
    } catch (error) {
      sendHttpError(res, error, 'OpenLineage ingest');
    }
  };
}


/** Body parsing errors (malformed JSON, too large) answered in the same JSON error shape. */
function bodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const status = (error as { status?: number }).status;
  if (res.headersSent || !status || status >= 500) return next(error);
  const message = status === 413 ? 'The body is larger than 20 MB; post the events in smaller batches.' : `The body is not valid JSON: ${(error as Error).message}`;
  res.status(status).json({ errors: [{ message, extensions: { code: AppErrorCode.BAD_USER_INPUT } }] });
}

/** Mounted at `/api/v1/lineage`. */
export function openLineageRouter(dataSource: DataSource, secret: string): Router {
  const router = Router();
  router.post('/', express.json({ limit: '20mb' }), openLineageHandler(dataSource, secret));
  router.use(bodyErrors);
  return router;
}
