import type { Metadata } from 'next';
import { apiBaseUrl } from '@/lib/apollo/client';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in · Pedigree' };

export default function LoginPage() {
  return (
    <div className="card card-narrow">
      <h1>Sign in</h1>
      <p className="muted">Use your Pedigree account to see your projects and models.</p>
      <LoginForm />
      {/* Single sign-on is offered when the identity provider is configured, as on the API. */}
      {process.env.PEDIGREE_OIDC_ISSUER ? (
        <a className="button" href={`${apiBaseUrl()}/auth/oidc/login?returnTo=/`}>
          Sign in with single sign-on
        </a>
      ) : null}
    </div>
  );
}
