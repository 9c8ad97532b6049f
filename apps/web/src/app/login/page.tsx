import type { Metadata } from 'next';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in · Pedigree' };

export default function LoginPage() {
  return (
    <div className="card card-narrow">
      <h1>Sign in</h1>
      <p className="muted">Use your Pedigree account to see your projects and models.</p>
      <LoginForm />
    </div>
  );
}
