import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';

/** What an artifact file is; clients choose how to show it (plots inline, logs in a viewer). */
export enum ArtifactKind {
  MODEL = 'MODEL',
  CHECKPOINT = 'CHECKPOINT',
  PLOT = 'PLOT',
  LOG = 'LOG',
  OTHER = 'OTHER',
}

registerEnumType(ArtifactKind, {
  name: 'ArtifactKind',
  description: 'What an artifact file is: MODEL weights, a training CHECKPOINT, a PLOT, a LOG, or OTHER.',
});

/** The kind named by a client, in either case ("model" from older clients, "MODEL"); null if it names none. */
export function parseArtifactKind(raw: string): ArtifactKind | null {
  const upper = raw.toUpperCase();
  return (Object.values(ArtifactKind) as string[]).includes(upper) ? (upper as ArtifactKind) : null;
}

/** `type/subtype` with optional parameters, printable: what is recorded and sent back as Content-Type. */
export const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(?:\s*;[\x20-\x7e]*)?$/i;
export const MAX_MEDIA_TYPE_LENGTH = 255;

/** The URI a stored artifact is recorded under: the store's name for the bytes, whatever backs it. */
export const STORE_URI_PREFIX = 'pedigree://artifacts/';

export const storeUri = (digest: string) => `${STORE_URI_PREFIX}${digest}`;

/** Where a client downloads stored bytes by digest, relative to the API's origin. */
export const downloadPath = (digest: string) => `/api/v1/artifacts/${digest}`;

/** Where a client downloads (and uploads) a run's artifact by path, relative to the API's origin. */
export const runArtifactPath = (runId: string, path: string) => `/api/v1/runs/${runId}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;

@ObjectType('StoredArtifact', { description: "Bytes held in Pedigree's artifact store, addressed by their digest." })
export class StoredArtifact {
  @Field({ description: 'sha256:<64 hex> of the bytes.' })
  digest!: string;

  @Field(() => SafeInt, { description: 'Size in bytes.' })
  sizeBytes!: number;

  @Field({ description: 'Media type recorded at upload, e.g. "application/octet-stream".' })
  mediaType!: string;

  @Field({ description: "Download path on the API's origin, e.g. /api/v1/artifacts/sha256:…; send the same Authorization header. Supports Range." })
  downloadUrl!: string;
}
