'use client';

import { useActionState, useId } from 'react';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { reviewRequest, type GovernanceFormState } from './actions';

const initialState: GovernanceFormState = {};

/** Approve and Reject submit the same form: the pressed button's `decision` travels with it. */
export function ReviewForm({ requestId }: { requestId: string }) {
  const [state, formAction, pending] = useActionState(reviewRequest, initialState);
  const id = useId();

  return (
    <form action={formAction} className="stack form" aria-describedby={`${id}-feedback`}>
      <FormFeedback id={`${id}-feedback`} error={state.error} notice={state.notice} />
      {state.reauthenticate ? (
        <p>
          <a className="button" href="/login">
            Sign in again
          </a>
        </p>
      ) : null}
      <input type="hidden" name="requestId" value={requestId} />
      <div className="field">
        <label htmlFor={`${id}-comment`}>Comment</label>
        <textarea
          id={`${id}-comment`}
          name="comment"
          required
          rows={2}
          placeholder="What you checked, or why not"
          defaultValue={state.comment}
        />
      </div>
      <div className="button-row">
        <button
          type="submit"
          name="decision"
          value="APPROVE"
          className="button button-primary"
          disabled={pending}
          aria-busy={pending}
        >
          Approve
        </button>
        <button type="submit" name="decision" value="REJECT" className="button button-danger" disabled={pending}>
          Reject
        </button>
      </div>
    </form>
  );
}
