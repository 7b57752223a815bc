import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorText } from '../components/query-state';
import { clientFor, type Role, type Session, unwrap } from '../session';

/** Checks the key against the API before keeping it: GET /account for a customer, GET /admin/accounts for the admin key. */
async function verify(role: Role, key: string): Promise<Session> {
  const api = clientFor(key);
  if (role === 'operator') {
    await unwrap(api.GET('/admin/accounts', { params: { query: { limit: 1 } } }));
    return { role, key, label: 'support team' };
  }
  const account = await unwrap(api.GET('/account'));
  return { role, key, label: account.name };
}

export function SignInPage({ onSignIn }: { onSignIn: (session: Session) => void }) {
  const [role, setRole] = useState<Role>('customer');
  const [key, setKey] = useState('');
  const signIn = useMutation({ mutationFn: () => verify(role, key.trim()), onSuccess: onSignIn });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <main className="sign-in">
      <h1>Postline console</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <fieldset>
          <legend>Sign in as</legend>
          <label>
            <input type="radio" name="role" checked={role === 'customer'} onChange={() => setRole('customer')} /> A
            customer, with one of the account&apos;s API keys
          </label>
          <label>
            <input type="radio" name="role" checked={role === 'operator'} onChange={() => setRole('operator')} /> The
            support team, with the admin key
          </label>
        </fieldset>
        <label htmlFor="key">{role === 'operator' ? 'Admin key' : 'API key'}</label>
        <input
          id="key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder={role === 'operator' ? 'ADMIN_API_KEY' : 'pl_live_…'}
        />
        <p className="hint">Kept in this browser tab only (session storage): closing the tab signs you out.</p>
        <button type="submit" disabled={signIn.isPending || !key.trim()}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorText error={signIn.error} />
      </form>
    </main>
  );
}
