import type { Stage } from '@/gql/graphql';
import { STAGE_LABELS } from '@/lib/format';

export function StageBadge({ stage }: { stage: Stage }) {
  return <span className={`stage stage-${stage.toLowerCase()}`}>{STAGE_LABELS[stage] ?? stage}</span>;
}
