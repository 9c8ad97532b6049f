'use client';

import { useActionState, useId } from 'react';
import { FormFeedback } from './form-feedback';

interface ActionState {
  error?: string;
  notice?: string;
}

/** A one-button form (revoke, pause…) with its hidden fields, and the API's answer beside it. */
export function ActionButton({
  action,
  fields,
  label,
  accessibleLabel,
  className = 'button button-small',
}: {
  action: (previous: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  /** A fuller name for screen readers when the visible label is short, e.g. "Revoke ci-token". */
  accessibleLabel?: string;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const id = useId();
  return (
    <form action={formAction} className="inline-form" aria-describedby={id}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        className={className}
        disabled={pending}
        aria-busy={pending}
        aria-label={accessibleLabel}
      >
        {label}
      </button>
      <FormFeedback id={id} error={state.error} notice={state.notice} />
    </form>
  );
}
