import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { AccountPage } from './pages/account';
import { AccountsPage } from './pages/accounts';
import { ApiKeysPage } from './pages/api-keys';
import { CampaignPage, CampaignsPage } from './pages/campaigns';
import { EmailPage } from './pages/email';
import { EmailsPage } from './pages/emails';
import { OverviewPage } from './pages/overview';
import { ReputationPage } from './pages/reputation';
import { SendersPage } from './pages/senders';
import { SignInPage } from './pages/sign-in';
import { SuppressionsPage } from './pages/suppressions';
import { TemplatePage, TemplatesPage } from './pages/templates';
import { WebhooksPage } from './pages/webhooks';
import { loadSession, type Session, saveSession } from './session';

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const queryClient = useQueryClient();
  const signIn = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    saveSession(null);
    // Nothing of the previous key's answers may show under the next key.
    queryClient.clear();
    setSession(null);
  }, [queryClient]);

  if (!session) return <SignInPage onSignIn={signIn} />;
  return (
    <AuthProvider session={session} signOut={signOut}>
      <Layout />
    </AuthProvider>
  );
}

const CUSTOMER_PAGES: [string, string][] = [
  ['/overview', 'Overview'],
  ['/emails', 'Emails'],
  ['/campaigns', 'Campaigns'],
  ['/reputation', 'Reputation'],
  ['/suppressions', 'Suppressions'],
  ['/templates', 'Templates'],
  ['/senders', 'Senders'],
  ['/webhooks', 'Webhooks'],
  ['/api-keys', 'API keys'],
];
const OPERATOR_PAGES: [string, string][] = [
  ['/accounts', 'Accounts'],
  ['/accounts?queue=review', 'Review queue'],
];

function Layout() {
  const { session, signOut } = useAuth();
  const pages = session.role === 'operator' ? OPERATOR_PAGES : CUSTOMER_PAGES;
  return (
    <div className="layout">
      <header className="top">
        <span className="brand">Postline</span>
        <span className="who">
          {session.role === 'operator' ? 'Operator' : 'Account'}: <strong>{session.label}</strong>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav className="side" aria-label="Pages">
        <ul>
          {pages.map(([to, name]) => (
            <li key={to}>
              <NavLink to={to} end>
                {name}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {session.role === 'operator' ? (
          <Routes>
            <Route path="/accounts" element={<AccountsPage />} />
            <Route path="/accounts/:id" element={<AccountPage />} />
            <Route path="*" element={<Navigate to="/accounts" replace />} />
          </Routes>
        ) : (
          <Routes>
            <Route path="/overview" element={<OverviewPage />} />
            <Route path="/emails" element={<EmailsPage />} />
            <Route path="/emails/:id" element={<EmailPage />} />
            <Route path="/campaigns" element={<CampaignsPage />} />
            <Route path="/campaigns/:externalId" element={<CampaignPage />} />
            <Route path="/reputation" element={<ReputationPage />} />
            <Route path="/suppressions" element={<SuppressionsPage />} />
            <Route path="/templates" element={<TemplatesPage />} />
            <Route path="/templates/:id" element={<TemplatePage />} />
            <Route path="/senders" element={<SendersPage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/api-keys" element={<ApiKeysPage />} />
            <Route path="*" element={<Navigate to="/overview" replace />} />
          </Routes>
        )}
      </main>
    </div>
  );
}
