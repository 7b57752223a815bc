import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useAuth } from '../auth';
import { ApiFailure, errorMessage } from '../session';

/** Loading and error states of one query; renders `children(data)` once it has data. */
export function QueryState<T>({
  query,
  label,
  children,
}: {
  query: UseQueryResult<T>;
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p className="loading" role="status">
        Loading {label}…
      </p>
    );
  }
  if (query.isError && query.error instanceof ApiFailure && query.error.status === 401) {
    return <SignInAgain />;
  }
  if (query.isError) {
    return (
      <div className="error" role="alert">
        <p>
          Could not load {label}: {errorMessage(query.error)}
        </p>
        <button type="button" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children(query.data)}</>;
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

/** The key was revoked or expired while the page was open: nothing else on it can work. */
function SignInAgain() {
  const { signOut } = useAuth();
  return (
    <div className="error" role="alert">
      <p>This key is no longer accepted (revoked or expired).</p>
      <button type="button" onClick={signOut}>
        Sign in again
      </button>
    </div>
  );
}
