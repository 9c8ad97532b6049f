'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import type { GateOp, ProjectRole, Stage, WebhookEvent } from '@/gql/graphql';
import { mutate } from '@/lib/apollo/query';
import { parseMetricGates } from './metric-gates';

/** What a settings form shows after a submit; `values` refills the fields after a refusal. */
export interface SettingsFormState {
  error?: string;
  notice?: string;
  values?: Record<string, string>;
  /** A new API token's secret: in this answer only, never stored or shown again. */
  secret?: string;
}

const ADD_MEMBER = graphql(`
  mutation AddProjectMember($input: AddProjectMemberInput!) {
    addProjectMember(input: $input) {
      role
      user {
        id
        email
      }
    }
  }
`);

const SET_POLICY = graphql(`
  mutation SetPromotionPolicy($input: SetPromotionPolicyInput!) {
    setPromotionPolicy(input: $input) {
      id
      toStage
    }
  }
`);

const CREATE_API_TOKEN = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken {
        id
        name
      }
    }
  }
`);

const REVOKE_API_TOKEN = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) {
      id
      revokedAt
    }
  }
`);

const CREATE_WEBHOOK = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      id
      url
    }
  }
`);

const SET_WEBHOOK_ACTIVE = graphql(`
  mutation SetWebhookActive($id: ID!, $active: Boolean!) {
    setWebhookActive(id: $id, active: $active) {
      id
      active
    }
  }
`);

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

/** The typed values of a refused form, secrets left out: they are never sent back to the page. */
function refused(error: string, form: FormData): SettingsFormState {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string' && name !== 'secret' && !name.startsWith('$')) values[name] = value;
  }
  return { error, values };
}

async function done(notice: string, extra: Partial<SettingsFormState> = {}): Promise<SettingsFormState> {
  revalidatePath('/settings');
  return { notice, ...extra };
}

export async function addMember(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const input = { project: text(form, 'project'), email: text(form, 'email'), role: text(form, 'role') as ProjectRole };
  const result = await mutate(ADD_MEMBER, { input });
  if (result.error !== undefined) return refused(result.error, form);
  const { user, role } = result.data.addProjectMember;
  return done(`${user.email} is now ${role.toLowerCase()}.`);
}

export async function setPolicy(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const gates = parseMetricGates(text(form, 'metricGates'));
  if ('error' in gates) return refused(gates.error, form);
  const result = await mutate(SET_POLICY, {
    input: {
      project: text(form, 'project'),
      model: text(form, 'model') || null,
      toStage: text(form, 'toStage') as Stage,
      requiredApprovals: Number(text(form, 'requiredApprovals')),
      requireCompleteLineage: form.get('requireCompleteLineage') === 'on',
      metricGates: gates.gates.map((gate) => ({ ...gate, op: gate.op as GateOp })),
    },
  });
  if (result.error !== undefined) return refused(result.error, form);
  return done('Policy saved. It applies to requests evaluated from now on.');
}

export async function createToken(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const expires = text(form, 'expiresOn');
  const result = await mutate(CREATE_API_TOKEN, {
    input: {
      name: text(form, 'name'),
      project: text(form, 'project') || null,
      role: (text(form, 'role') || null) as ProjectRole | null,
      // The end of the chosen day, UTC: a token "until the 31st" works all through the 31st.
      expiresAt: expires ? `${expires}T23:59:59.999Z` : null,
    },
  });
  if (result.error !== undefined) return refused(result.error, form);
  const { token, apiToken } = result.data.createApiToken;
  return done(`Token “${apiToken.name}” created.`, { secret: token });
}

export async function revokeToken(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const result = await mutate(REVOKE_API_TOKEN, { id: text(form, 'id') });
  if (result.error !== undefined) return { error: result.error };
  return done('Token revoked.');
}

export async function createWebhook(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const events = form.getAll('events').map(String) as WebhookEvent[];
  if (events.length === 0) return refused('Choose at least one event.', form);
  const result = await mutate(CREATE_WEBHOOK, {
    input: {
      project: text(form, 'project'),
      url: text(form, 'url'),
      secret: String(form.get('secret') ?? ''),
      description: text(form, 'description') || null,
      events,
    },
  });
  if (result.error !== undefined) return refused(result.error, form);
  return done(`Webhook to ${result.data.createWebhook.url} added.`);
}

export async function setWebhookActive(_previous: SettingsFormState, form: FormData): Promise<SettingsFormState> {
  const active = text(form, 'active') === 'true';
  const result = await mutate(SET_WEBHOOK_ACTIVE, { id: text(form, 'id'), active });
  if (result.error !== undefined) return { error: result.error };
  return done(active ? 'Webhook resumed.' : 'Webhook paused.');
}
