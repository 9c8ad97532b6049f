import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { WebhookSettings } from '../../config';
import { logger } from '../../logger';
import { WebhookDeliveryStatus, type WebhookEvent } from './webhook.entity';
import { postWebhook, signBody } from './webhook.http';

/** Deliveries claimed per poll; a full batch means more are due, so the worker polls again at once. */
const BATCH_SIZE = 20;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
/** A claimed delivery is leased this long past the attempt's timeout; a crashed worker's claims become due again after it. */
const LEASE_MARGIN_MS = 60_000;

interface ClaimedDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEvent;
  payload: Record<string, unknown>;
  eventCreatedAt: Date;
  attempt: number;
  url: string;
  secret: string;
  projectId: string;
  projectKey: string;
}

interface AttemptOutcome {
  responseStatus: number | null;
  error: string | null;
}

/** The wait before retry number `attempt` + 1: base, 2×base, 4×base…, at most an hour. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Sends what the outbox holds. Any number of API replicas run one each: a delivery is claimed with
 * `FOR UPDATE SKIP LOCKED` and leased by moving its due time past the attempt, so each attempt is
 * made by one worker, and a worker that dies mid-attempt only delays it.
 */
export class WebhookDeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly settings: WebhookSettings,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Stops polling, waits for attempts in flight, and closes the worker's connections. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.cycle;
    await this.pool.end();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.cycle = this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    let claimed = 0;
    try {
      claimed = await this.deliverDue();
    } catch (error) {
      logger.error({ err: error }, 'webhook delivery poll failed');
    }
    this.schedule(claimed === BATCH_SIZE ? 0 : this.settings.pollMs);
  }

  /** Claims the due deliveries and makes one attempt at each; returns how many it claimed. */
  async deliverDue(): Promise<number> {
    const { rows } = await this.pool.query<ClaimedDelivery>(
      `UPDATE webhook_delivery d
          SET attempts = d.attempts + 1, next_attempt_at = now() + $2::float8 * interval '1 millisecond'
         FROM webhook w, project p
        WHERE d.id IN (SELECT due.id FROM webhook_delivery due JOIN webhook hook ON hook.id = due.webhook_id
                        WHERE due.status = 'PENDING' AND due.next_attempt_at <= now() AND hook.active
                        ORDER BY due.next_attempt_at LIMIT $1
                        FOR UPDATE OF due SKIP LOCKED)
          AND w.id = d.webhook_id AND p.id = d.project_id
      RETURNING d.id, d.webhook_id AS "webhookId", d.event_id AS "eventId", d.event_type AS "eventType", d.payload,
                d.event_created_at AS "eventCreatedAt", d.attempts AS attempt, w.url, w.secret, p.id AS "projectId", p.key AS "projectKey"`,
      [BATCH_SIZE, this.settings.timeoutMs + LEASE_MARGIN_MS],
    );
    await Promise.all(rows.map((delivery) => this.attempt(delivery)));
    return rows.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const attemptedAt = new Date();
    const started = performance.now();
    const outcome = await this.send(delivery);
    const durationMs = Math.round(performance.now() - started);
    const succeeded = outcome.error === null;
    const status = succeeded
      ? WebhookDeliveryStatus.DELIVERED
      : delivery.attempt >= this.settings.maxAttempts
        ? WebhookDeliveryStatus.FAILED
        : WebhookDeliveryStatus.PENDING;
    try {
      // One statement: the log row and the delivery's new state are written together or not at all.
      // `attempts = $5` ignores a worker whose lease ran out while another one took over.
      await this.pool.query(
        `WITH next AS (
           SELECT CASE WHEN $6::text = 'PENDING' THEN now() + $10::float8 * interval '1 millisecond' END AS attempt_at
         ), logged AS (
           INSERT INTO webhook_delivery_attempt
             (delivery_id, webhook_id, event_id, event_type, attempt, status, response_status, error, duration_ms, next_attempt_at, attempted_at)
           SELECT $1::uuid, $2::uuid, $3::uuid, $4::text, $5::int, $6::text, $7::int, $8::text, $9::int, next.attempt_at, $11::timestamptz FROM next
         )
         UPDATE webhook_delivery SET status = $6::text, next_attempt_at = (SELECT attempt_at FROM next)
          WHERE id = $1::uuid AND attempts = $5::int`,
        [
          delivery.id, delivery.webhookId, delivery.eventId, delivery.eventType, delivery.attempt, status,
          outcome.responseStatus, outcome.error, durationMs, retryDelayMs(delivery.attempt, this.settings.retryBaseMs), attemptedAt,
        ],
      );
    } catch (error) {
      logger.error({ err: error, deliveryId: delivery.id }, 'could not record a webhook delivery attempt');
      return;
    }
    const log = { deliveryId: delivery.id, webhookId: delivery.webhookId, event: delivery.eventType, attempt: delivery.attempt, status, durationMs, ...outcome };
    if (succeeded) logger.info(log, 'webhook delivered');
    else logger.warn(log, 'webhook delivery attempt failed');
  }

  private async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const body = JSON.stringify({
      id: delivery.eventId,
      type: delivery.eventType,
      createdAt: delivery.eventCreatedAt.toISOString(),
      project: { id: delivery.projectId, key: delivery.projectKey },
      payload: delivery.payload,
    });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Pedigree-Webhook/1',
      'x-pedigree-event': delivery.eventType,
      'x-pedigree-delivery': delivery.id,
      'x-pedigree-signature': signBody(delivery.secret, body),
    };
    try {
      const responseStatus = await postWebhook(new URL(delivery.url), body, headers, this.settings);
      const ok = responseStatus >= 200 && responseStatus < 300;
      return { responseStatus, error: ok ? null : `the receiver answered HTTP ${responseStatus}; only 2xx counts as delivered` };
    } catch (error) {
      return { responseStatus: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * Starts a worker on its own two connections, so its polling never waits for a request's
 * connection, and its statements stay out of the per-request SQL counts.
 */
export function startWebhookWorker(dataSource: DataSource, settings: WebhookSettings): WebhookDeliveryWorker {
  const pool = new Pool({ connectionString: (dataSource.options as { url?: string }).url, max: 2 });
  pool.on('error', (error) => logger.error({ err: error }, 'webhook worker lost a database connection'));
  const worker = new WebhookDeliveryWorker(pool, settings);
  worker.start();
  return worker;
}
