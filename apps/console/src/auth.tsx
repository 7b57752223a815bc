import type { PostlineClient } from '@postline/client';
import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { clientFor, type Session } from './session';

interface Auth {
  session: Session;
  api: PostlineClient;
  signOut: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({
  session,
  signOut,
  children,
}: {
  session: Session;
  signOut: () => void;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ session, api: clientFor(session.key), signOut }), [session, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The typed SDK client of the signed-in key. */
export function useApi(): PostlineClient {
  return useAuth().api;
}
