import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LIMITS, PATTERNS } from '../../common/validation/limits';
import { WebhookEvent } from './webhook.entity';

export const WEBHOOK_SECRET_LENGTH = { min: 16, max: 256 } as const;

@InputType('CreateWebhookInput', { description: "A receiver of a project's governance events." })
export class CreateWebhookInput {
  @Field({ description: 'Project key.' })
  @Matches(PATTERNS.projectKey, { message: 'project must be a project key like "fraud-detection"' })
  project!: string;

  @Field({ description: `The http:// or https:// URL events are POSTed to, up to ${LIMITS.uri} characters. In production it must resolve to a public address.` })
  @MaxLength(LIMITS.uri, { message: `url must be at most ${LIMITS.uri} characters` })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true, disallow_auth: true },
    { message: 'url must be an http:// or https:// URL without credentials, like https://hooks.example.com/pedigree' },
  )
  url!: string;

  @Field(() => [WebhookEvent], { description: 'The events to receive; at least one.' })
  @ArrayMinSize(1, { message: 'events must name at least one WebhookEvent, like TRANSITION_APPLIED' })
  @ArrayMaxSize(Object.keys(WebhookEvent).length)
  @IsIn(Object.values(WebhookEvent), { each: true })
  events!: WebhookEvent[];

  @Field({
    description: `Shared secret, ${WEBHOOK_SECRET_LENGTH.min} to ${WEBHOOK_SECRET_LENGTH.max} characters: each body is signed with it in \`x-pedigree-signature: sha256=<hex HMAC-SHA256>\`. It is never shown again.`,
  })
  @Length(WEBHOOK_SECRET_LENGTH.min, WEBHOOK_SECRET_LENGTH.max, { message: `secret must be ${WEBHOOK_SECRET_LENGTH.min} to ${WEBHOOK_SECRET_LENGTH.max} characters` })
  secret!: string;

  @Field(() => String, { nullable: true, description: 'What the webhook is for.' })
  @IsOptional()
  @MaxLength(LIMITS.text)
  description?: string | null;
}
