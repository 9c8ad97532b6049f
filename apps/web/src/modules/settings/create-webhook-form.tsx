'use client';

import { useActionState, useId } from 'react';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { createWebhook, type SettingsFormState } from './actions';
import { WEBHOOK_EVENT_LABELS } from './webhook-events';

export function CreateWebhookForm({ projectKey }: { projectKey: string }) {
  const [state, formAction, pending] = useActionState(createWebhook, {} as SettingsFormState);
  const id = useId();
  const values = state.values;
  return (
    <form action={formAction} className="form stack" aria-describedby={`${id}-feedback`}>
      <h3>Add a webhook</h3>
      <input type="hidden" name="project" value={projectKey} />
      <div className="inline-fields">
        <div className="field grow">
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            id={`${id}-url`}
            name="url"
            type="url"
            required
            placeholder="https://ci.example.com/hooks/pedigree"
            defaultValue={values?.url}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-secret`}>Signing secret</label>
          <input
            id={`${id}-secret`}
            name="secret"
            type="password"
            required
            minLength={16}
            autoComplete="off"
            aria-describedby={`${id}-secret-help`}
          />
          <span id={`${id}-secret-help`} className="small muted">
            16+ characters; bodies are signed with HMAC-SHA256. Not shown again.
          </span>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <input id={`${id}-description`} name="description" defaultValue={values?.description} />
      </div>
      <fieldset className="checkbox-group">
        <legend>Events</legend>
        {Object.entries(WEBHOOK_EVENT_LABELS).map(([event, label]) => (
          <div key={event} className="checkbox">
            <input id={`${id}-${event}`} type="checkbox" name="events" value={event} defaultChecked />
            <label htmlFor={`${id}-${event}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <div>
        <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
          Add webhook
        </button>
      </div>
      <FormFeedback id={`${id}-feedback`} error={state.error} notice={state.notice} />
    </form>
  );
}
