import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { fieldErrors, TextField } from '@/components/ui/Field';
import { useToast } from '@/components/ui/Toast';
import { isApiError } from '@/lib/api-client';
import { pendingJoin, safeNext } from '@/lib/session';
import { useLogin } from '../api/login';
import { useRegister } from '../api/register';

function useAfterAuth() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return () => {
    const code = pendingJoin.peek();
    navigate(code ? `/join/${encodeURIComponent(code)}` : safeNext(params.get('next')), { replace: true });
  };
}

function authLink(path: string, params: URLSearchParams): string {
  const next = params.get('next');
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function SignInForm({ onSignedIn, keepCache = false }: { onSignedIn?: () => void; keepCache?: boolean }) {
  const login = useLogin({ keepCache });
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = fieldErrors(login.error);
  const formError = login.error && isApiError(login.error) && login.error.errors.length === 0 ? login.error : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: () => onSignedIn?.(),
        onError: (err) => {
          if (!isApiError(err) || err.status === 0 || err.status >= 500) toast.error(err);
        },
      },
    );
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {formError && formError.status > 0 && formError.status < 500 ? (
        <p className="form-error" role="alert">
          {formError.status === 401 ? 'That email and password do not match.' : formError.detail || formError.title}
        </p>
      ) : null}
      <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
      <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
      <Button type="submit" busy={login.isPending} className="btn-block">
        Sign in
      </Button>
    </form>
  );
}

export function SignInPage() {
  const after = useAfterAuth();
  const [params] = useSearchParams();
  const code = pendingJoin.peek();
  return (
    <main className="auth-page">
      <div className="auth-card card">
        <h1>Welcome back</h1>
        <p className="muted">{code ? 'Sign in to join your family’s room.' : 'Sign in to your family rooms.'}</p>
        <SignInForm onSignedIn={after} />
        <p className="auth-switch">
          New here? <Link to={authLink('/sign-up', params)}>Create an account</Link>
        </p>
      </div>
    </main>
  );
}

export function SignUpPage() {
  const after = useAfterAuth();
  const [params] = useSearchParams();
  const registerMutation = useRegister();
  const toast = useToast();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = fieldErrors(registerMutation.error);
  const err = registerMutation.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    registerMutation.mutate(
      { name: name.trim(), email: email.trim(), password },
      {
        onSuccess: after,
        onError: (error) => {
          if (!isApiError(error) || error.errors.length === 0) toast.error(error);
        },
      },
    );
  };

  return (
    <main className="auth-page">
      <div className="auth-card card">
        <h1>Create your account</h1>
        <p className="muted">One account for every family room you shop in.</p>
        <form className="form" onSubmit={submit} noValidate>
          {isApiError(err) && err.status === 409 ? (
            <p className="form-error" role="alert">
              An account with this email exists. <Link to={authLink('/sign-in', params)}>Sign in</Link> instead.
            </p>
          ) : null}
          <TextField label="Your name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            hint="At least 10 characters."
          />
          <Button type="submit" busy={registerMutation.isPending} className="btn-block">
            Create account
          </Button>
        </form>
        <p className="auth-switch">
          Already have an account? <Link to={authLink('/sign-in', params)}>Sign in</Link>
        </p>
      </div>
    </main>
  );
}
