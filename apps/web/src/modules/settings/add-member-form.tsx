'use client';

import { useActionState, useId } from 'react';
import type { ProjectRole } from '@/gql/graphql';
import { ROLE_LABELS } from '@/lib/format';
import { FormFeedback } from '@/modules/ui/form-feedback';
import { addMember, type SettingsFormState } from './actions';

const ROLES: ProjectRole[] = ['VIEWER', 'CONTRIBUTOR', 'REVIEWER', 'OWNER'];

export function AddMemberForm({ projectKey }: { projectKey: string }) {
  const [state, formAction, pending] = useActionState(addMember, {} as SettingsFormState);
  const id = useId();
  return (
    <form action={formAction} className="form inline-fields" aria-describedby={`${id}-feedback`}>
      <input type="hidden" name="project" value={projectKey} />
      <div className="field">
        <label htmlFor={`${id}-email`}>Member email</label>
        <input id={`${id}-email`} name="email" type="email" required defaultValue={state.values?.email} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} name="role" defaultValue={state.values?.role ?? 'VIEWER'}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        Add or change role
      </button>
      <FormFeedback id={`${id}-feedback`} error={state.error} notice={state.notice} />
    </form>
  );
}
