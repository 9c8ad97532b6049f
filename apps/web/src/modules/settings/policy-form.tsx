'use client';

import { useActionState, useId } from 'react';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { setPolicy, type SettingsFormState } from './actions';

export function PolicyForm({ projectKey, modelNames }: { projectKey: string; modelNames: string[] }) {
  const [state, formAction, pending] = useActionState(setPolicy, {} as SettingsFormState);
  const id = useId();
  const values = state.values;
  return (
    <form action={formAction} className="form stack" aria-describedby={`${id}-feedback`}>
      <h3>Set a policy</h3>
      <input type="hidden" name="project" value={projectKey} />
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${id}-model`}>Applies to</label>
          <select id={`${id}-model`} name="model" defaultValue={values?.model ?? ''}>
            <option value="">Every model (project default)</option>
            {modelNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-stage`}>Move to</label>
          <select id={`${id}-stage`} name="toStage" defaultValue={values?.toStage ?? 'PRODUCTION'}>
            <option value="STAGING">Staging</option>
            <option value="PRODUCTION">Production</option>
            <option value="ARCHIVED">Archived</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-approvals`}>Required approvals</label>
          <input
            id={`${id}-approvals`}
            name="requiredApprovals"
            type="number"
            min={0}
            max={10}
            required
            defaultValue={values?.requiredApprovals ?? '1'}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-gates`}>Metric gates, one per line</label>
        <textarea
          id={`${id}-gates`}
          name="metricGates"
          rows={2}
          placeholder="val_auc >= 0.9"
          defaultValue={values?.metricGates}
          aria-describedby={`${id}-gates-help`}
        />
        <span id={`${id}-gates-help`} className="small muted">
          The source run&apos;s latest value must meet each: &gt;, &gt;=, &lt; or &lt;= a number.
        </span>
      </div>
      <div className="checkbox">
        <input
          id={`${id}-lineage`}
          name="requireCompleteLineage"
          type="checkbox"
          defaultChecked={values?.requireCompleteLineage === 'on'}
        />
        <label htmlFor={`${id}-lineage`}>Require complete lineage (a clean commit and recorded input data)</label>
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
          Save policy
        </button>
      </div>
      <FormFeedback id={`${id}-feedback`} error={state.error} notice={state.notice} />
    </form>
  );
}
