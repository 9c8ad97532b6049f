'use client';

import { roleSatisfies } from '@pedigree/shared';
import { useActionState, useId } from 'react';
import type { ProjectRole } from '@/gql/graphql';
import { ROLE_LABELS } from '@/lib/format';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { createToken, type SettingsFormState } from './actions';

const ROLES: ProjectRole[] = ['VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER'];

/** `viewerRole` bounds the role choices: the API refuses a token that could do more than its user. */
export function CreateTokenForm({
  projectKey,
  projectName,
  viewerRole,
}: {
  projectKey: string;
  projectName: string;
  viewerRole: ProjectRole | null;
}) {
  const [state, formAction, pending] = useActionState(createToken, {} as SettingsFormState);
  const id = useId();
  const values = state.values;
  return (
    <form action={formAction} className="form stack" aria-describedby={`${id}-feedback`}>
      <h3>Create a token</h3>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={`${id}-name`}>Token name</label>
          <input id={`${id}-name`} name="name" required placeholder="ci-train-job" defaultValue={values?.name} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-project`}>Reaches</label>
          <select id={`${id}-project`} name="project" defaultValue={values?.project ?? projectKey}>
            <option value={projectKey}>{projectName} only</option>
            <option value="">All my projects</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Acts as</label>
          <select id={`${id}-role`} name="role" defaultValue={values?.role ?? ''}>
            <option value="">My own role</option>
            {ROLES.filter((role) => viewerRole && roleSatisfies(viewerRole, role)).map((role) => (
              <option key={role} value={role}>
                At most {ROLE_LABELS[role].toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expires`}>Expires on (UTC)</label>
          <input id={`${id}-expires`} name="expiresOn" type="date" defaultValue={values?.expiresOn} />
        </div>
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
          Create token
        </button>
      </div>
      <FormFeedback id={`${id}-feedback`} error={state.error} notice={state.notice} />
      {state.secret ? (
        <div className="secret" role="status">
          <p>
            <strong>Copy this token now:</strong> it is shown once and cannot be read again.
          </p>
          <label htmlFor={`${id}-secret`}>New token</label>
          <input id={`${id}-secret`} readOnly value={state.secret} className="secret-value" onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
    </form>
  );
}
