'use client';

import { useActionState, useId } from 'react';
import type { Stage } from '@/gql/graphql';
import { NEXT_STAGE, STAGE_LABELS } from '@/lib/format';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { requestPromotion, type GovernanceFormState } from './actions';

export interface PromotableVersion {
  id: string;
  version: number;
  stage: Stage;
  /** The stage of the version's PENDING request, when it has one: a second is refused. */
  pendingTo?: Stage;
}

const initialState: GovernanceFormState = {};

export function RequestPromotionForm({ versions }: { versions: PromotableVersion[] }) {
  const [state, formAction, pending] = useActionState(requestPromotion, initialState);
  const feedbackId = useId();
  const firstOpen = versions.find((version) => !version.pendingTo);

  return (
    <form action={formAction} className="stack form" aria-describedby={feedbackId}>
      <FormFeedback id={feedbackId} error={state.error} notice={state.notice} />
      <div className="field">
        <label htmlFor="promotion-move">Version</label>
        <select id="promotion-move" name="move" required defaultValue={firstOpen ? moveOf(firstOpen) : undefined}>
          {versions.map((version) => (
            <option key={version.id} value={moveOf(version)} disabled={Boolean(version.pendingTo)}>
              {`Version ${version.version}: ${STAGE_LABELS[version.stage]} → ${STAGE_LABELS[NEXT_STAGE[version.stage]]}`}
              {version.pendingTo ? ' (request pending)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="promotion-comment">Comment</label>
        <textarea
          id="promotion-comment"
          name="comment"
          required
          rows={3}
          placeholder="Why this version should move, e.g. the evaluation it passed"
          defaultValue={state.comment}
        />
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={pending || !firstOpen} aria-busy={pending}>
          Request promotion
        </button>
      </div>
    </form>
  );
}

function moveOf(version: PromotableVersion): string {
  return `${version.id}:${NEXT_STAGE[version.stage]}`;
}
