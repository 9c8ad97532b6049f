'use server';

import { redirect } from 'next/navigation';
import { graphql } from '@/gql';
import { apiErrorOf } from '@/lib/apollo/errors';
import { makeApolloClient } from '@/lib/apollo/client';
import { storeSessionToken } from '@/lib/session';

export interface SignInState {
  error?: string;
  /** Echoed back so a failed attempt does not wipe what the user typed. */
  email?: string;
}

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const LOGIN = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      user {
        id
        email
        name
      }
    }
  }
`);

export async function signIn(_previous: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  if (!email || !password) return { error: 'Enter your email and password.', email };

  let token: string | undefined;
  try {
    // No session token here: a stale cookie must not get in the way of signing in again.
    const { data } = await makeApolloClient().mutate({ mutation: LOGIN, variables: { email, password } });
    token = data?.login.token;
  } catch (error) {
    const apiError = apiErrorOf(error);
    if (!apiError) console.error('Sign-in request failed', error);
    return { error: apiError?.message || 'Could not reach the Pedigree API. Try again in a moment.', email };
  }
  if (!token) return { error: 'The Pedigree API did not return a session.', email };

  await storeSessionToken(token);
  // Outside the try: redirect() works by throwing.
  redirect('/models');
}
