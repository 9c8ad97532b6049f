import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, type Page } from '../../common/pagination/connection';
import { type Context, signedIn } from '../../context';
import { Project } from '../project/project.entity';
import { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from './webhook.entity';
import { CreateWebhookInput } from './webhook.inputs';
import type { WebhookService } from './webhook.service';

export const WebhookDeliveryAttemptConnection = ConnectionType('WebhookDeliveryAttempt', WebhookDeliveryAttempt);

@Resolver(() => Webhook)
export class WebhookResolver {
  constructor(private readonly webhookService: WebhookService) {}

  @Authorized('OWNER')
  @Mutation(() => Webhook, {
    description:
      'Adds a webhook that receives the chosen governance events as signed JSON POSTs, retried with backoff. In production the URL must resolve to a public address. Needs OWNER.',
  })
  createWebhook(@Arg('input') input: CreateWebhookInput, @Ctx() ctx: Context): Promise<Webhook> {
    return this.webhookService.create(signedIn(ctx), input);
  }

  @Authorized('OWNER')
  @Mutation(() => Webhook, { description: 'Pauses (false) or resumes (true) a webhook; while paused no events are queued for it. Needs OWNER.' })
  setWebhookActive(@Arg('id', () => ID) id: string, @Arg('active') active: boolean, @Ctx() ctx: Context): Promise<Webhook> {
    return this.webhookService.setActive(signedIn(ctx), id, active);
  }

  @Authorized('OWNER')
  @Mutation(() => ID, { description: 'Deletes a webhook with its queued deliveries and delivery log; returns its id. Needs OWNER.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return this.webhookService.delete(signedIn(ctx), id);
  }

  @Authorized('OWNER')
  @Mutation(() => WebhookDelivery, { description: 'Queues the event of a delivery again, as a new delivery with the same event id. Needs OWNER.' })
  redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: Context): Promise<WebhookDelivery> {
    return this.webhookService.redeliver(signedIn(ctx), deliveryId);
  }

  @Authorized('OWNER')
  @Query(() => [Webhook], { description: 'The webhooks of a project, oldest first. Needs OWNER.' })
  webhooks(@Arg('project') project: string, @Ctx() ctx: Context): Promise<Webhook[]> {
    return this.webhookService.list(signedIn(ctx), project);
  }

  @Authorized('OWNER')
  @Query(() => WebhookDeliveryAttemptConnection, { description: "A webhook's delivery log: every attempt, newest first. Needs OWNER." })
  webhookDeliveries(
    @Arg('webhookId', () => ID) webhookId: string,
    @Arg('first', () => Int, { nullable: true, description: '1 to 100; default 20.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Page<WebhookDeliveryAttempt>> {
    return this.webhookService.attempts(signedIn(ctx), webhookId, first, after);
  }

  @FieldResolver(() => Project, { description: 'The project whose events the webhook receives.' })
  async project(@Root() webhook: Webhook, @Ctx() ctx: Context): Promise<Project> {
    return (await ctx.loaders.projectById.load(webhook.projectId)) as Project;
  }
}
