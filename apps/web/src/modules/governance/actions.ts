'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import type { ReviewDecision, Stage } from '@/gql/graphql';
import { mutate } from '@/lib/apollo/query';
import { STAGE_LABELS } from '@/lib/format';

/** What a governance form shows after a submit; the typed comment survives a refusal. */
export interface GovernanceFormState {
  error?: string;
  notice?: string;
  comment?: string;
  /** The approval needs a fresh sign-in: an electronic signature is bound to one (21 CFR Part 11). */
  reauthenticate?: boolean;
}

const STAGES = new Set<string>(Object.keys(STAGE_LABELS));

const REQUEST_TRANSITION = graphql(`
  mutation RequestTransition($input: RequestTransitionInput!) {
    requestTransition(input: $input) {
      id
      status
      toStage
      missing
      modelVersion {
        id
        version
      }
    }
  }
`);

const REVIEW_TRANSITION = graphql(`
  mutation ReviewTransition($input: ReviewTransitionInput!) {
    reviewTransition(input: $input) {
      id
      status
      toStage
      missing
      modelVersion {
        id
        version
      }
    }
  }
`);

const CANCEL_TRANSITION = graphql(`
  mutation CancelTransition($requestId: ID!) {
    cancelTransition(requestId: $requestId) {
      id
      status
    }
  }
`);

/** The form's `move` is "<model version id>:<stage>", one option per version. */
export async function requestPromotion(_previous: GovernanceFormState, form: FormData): Promise<GovernanceFormState> {
  const comment = String(form.get('comment') ?? '').trim();
  const [modelVersionId, toStage] = String(form.get('move') ?? '').split(':');
  if (!modelVersionId || !STAGES.has(toStage)) return { error: 'Choose a version to move.', comment };
  if (!comment) return { error: 'Write a comment: reviewers and the audit trail need the reason.', comment };

  const result = await mutate(REQUEST_TRANSITION, {
    input: { modelVersionId, toStage: toStage as Stage, comment },
  });
  if (result.error !== undefined) return { error: result.error, comment };
  revalidatePath('/', 'layout');
  const request = result.data.requestTransition;
  const move = `version ${request.modelVersion.version} to ${STAGE_LABELS[request.toStage]}`;
  return {
    notice:
      request.status === 'APPLIED'
        ? `Moved ${move}; no approval was needed.`
        : `Requested ${move}. Waiting for: ${request.missing.join(', ') || 'review'}.`,
  };
}

export async function reviewRequest(_previous: GovernanceFormState, form: FormData): Promise<GovernanceFormState> {
  const requestId = String(form.get('requestId') ?? '');
  const decision = String(form.get('decision') ?? '');
  const comment = String(form.get('comment') ?? '').trim();
  if (decision !== 'APPROVE' && decision !== 'REJECT') return { error: 'Choose Approve or Reject.', comment };
  if (!comment) return { error: 'Write a comment: it is kept with your decision on the audit trail.', comment };

  const result = await mutate(REVIEW_TRANSITION, {
    input: { requestId, decision: decision as ReviewDecision, comment },
  });
  if (result.error !== undefined && result.reason === 'REAUTHENTICATION_REQUIRED') {
    return { error: "Confirm it's you: approving for production needs a recent sign-in. Sign in again, then approve.", comment, reauthenticate: true };
  }
  if (result.error !== undefined) return { error: result.error, comment };
  revalidatePath('/', 'layout');
  const request = result.data.reviewTransition;
  const version = `Version ${request.modelVersion.version}`;
  const notices: Record<typeof request.status, string> = {
    APPLIED: `Approved. ${version} is now in ${STAGE_LABELS[request.toStage]}.`,
    PENDING: `Approved. Still waiting for: ${request.missing.join(', ')}.`,
    REJECTED: `Rejected. ${version} stays where it was.`,
    CANCELLED: 'The request was cancelled.',
  };
  return { notice: notices[request.status] };
}

export async function cancelRequest(_previous: GovernanceFormState, form: FormData): Promise<GovernanceFormState> {
  const result = await mutate(CANCEL_TRANSITION, { requestId: String(form.get('requestId') ?? '') });
  if (result.error !== undefined) return { error: result.error };
  revalidatePath('/', 'layout');
  return { notice: 'Request cancelled.' };
}
