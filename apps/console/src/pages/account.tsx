import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../auth';
import { NewKeyForm } from '../components/new-key-form';
import { ErrorText, QueryState } from '../components/query-state';
import { ReputationView } from '../components/reputation-view';
import { SenderCard } from '../components/sender-card';
import { Badge, SecretOnce, when } from '../components/widgets';
import { unwrap } from '../session';

/** One account for the support team: reputation with block/unblock, senders, API keys. */
export function AccountPage() {
  const api = useApi();
  const { id = '' } = useParams();
  const account = useQuery({
    queryKey: ['admin-account', id],
    queryFn: () => unwrap(api.GET('/admin/accounts/{id}', { params: { path: { id } } })),
  });
  return (
    <section>
      <QueryState query={account} label="the account">
        {(a) => (
          <>
            <h1>
              {a.name} <Badge value={a.reputationState} />
            </h1>
            <p className="muted">
              Created {when(a.createdAt)} · operators: {a.operators.map((o) => o.name).join(', ') || 'none'}
            </p>
          </>
        )}
      </QueryState>
      <Reputation accountId={id} />
      <Senders accountId={id} />
      <Keys accountId={id} />
    </section>
  );
}

function Reputation({ accountId }: { accountId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [operator, setOperator] = useState('');
  const reputation = useQuery({
    queryKey: ['admin-reputation', accountId],
    queryFn: () => unwrap(api.GET('/admin/accounts/{id}/reputation', { params: { path: { id: accountId } } })),
  });
  const act = useMutation({
    mutationFn: (action: 'block' | 'unblock') => {
      const body = { note: note.trim(), ...(operator.trim() ? { operator: operator.trim() } : {}) };
      const path = { id: accountId };
      return unwrap(
        action === 'block'
          ? api.POST('/admin/accounts/{id}/block', { params: { path }, body })
          : api.POST('/admin/accounts/{id}/unblock', { params: { path }, body }),
      );
    },
    onSuccess: async (data) => {
      setNote('');
      queryClient.setQueryData(['admin-reputation', accountId], data);
      await queryClient.invalidateQueries({ queryKey: ['admin-account', accountId] });
      await queryClient.invalidateQueries({ queryKey: ['admin-accounts'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    act.mutate(submitter?.value === 'block' ? 'block' : 'unblock');
  };
  return (
    <>
      <h2>Reputation</h2>
      <QueryState query={reputation} label="the reputation">
        {(r) => (
          <>
            <form className="stacked" onSubmit={submit} aria-label="Block or unblock">
              <label>
                Note (why; kept in the history)
                <textarea required maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
              <label>
                Your name
                <input value={operator} maxLength={100} onChange={(e) => setOperator(e.target.value)} />
              </label>
              <div>
                {r.state === 'BLOCKED' ? (
                  <button type="submit" value="unblock" disabled={act.isPending}>
                    Unblock
                  </button>
                ) : (
                  <button type="submit" value="block" className="danger" disabled={act.isPending}>
                    Block
                  </button>
                )}
              </div>
              <ErrorText error={act.error} />
            </form>
            <ReputationView reputation={r} />
          </>
        )}
      </QueryState>
    </>
  );
}

function Senders({ accountId }: { accountId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [identity, setIdentity] = useState('');
  const senders = useQuery({
    queryKey: ['admin-senders', accountId],
    queryFn: () => unwrap(api.GET('/admin/accounts/{id}/senders', { params: { path: { id: accountId } } })),
  });
  const add = useMutation({
    mutationFn: (value: string) =>
      unwrap(
        api.POST('/admin/accounts/{id}/senders', { params: { path: { id: accountId } }, body: { identity: value } }),
      ),
    onSuccess: () => {
      setIdentity('');
      return queryClient.invalidateQueries({ queryKey: ['admin-senders', accountId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(identity.trim());
  };
  return (
    <>
      <h2>Sender identities</h2>
      <form className="inline" onSubmit={submit} aria-label="Add a sender identity">
        <label>
          Domain or address
          <input required value={identity} onChange={(e) => setIdentity(e.target.value)} placeholder="shop.example" />
        </label>
        <button type="submit" disabled={add.isPending}>
          Add sender
        </button>
      </form>
      <ErrorText error={add.error} />
      <QueryState query={senders} label="the senders">
        {(list) =>
          list.length === 0 ? <p>No sender identity.</p> : list.map((s) => <SenderCard key={s.id} sender={s} />)
        }
      </QueryState>
    </>
  );
}

function Keys({ accountId }: { accountId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<string | null>(null);
  const keys = useQuery({
    queryKey: ['admin-keys', accountId],
    queryFn: () => unwrap(api.GET('/admin/accounts/{accountId}/api-keys', { params: { path: { accountId } } })),
  });
  const create = useMutation({
    mutationFn: (body: { name: string; operator: string }) =>
      unwrap(api.POST('/admin/accounts/{accountId}/api-keys', { params: { path: { accountId } }, body })),
    onSuccess: (data) => {
      setCreated(data.key);
      return queryClient.invalidateQueries({ queryKey: ['admin-keys', accountId] });
    },
  });
  return (
    <>
      <h2>API keys</h2>
      {created && <SecretOnce secret={created} what="API key" onDone={() => setCreated(null)} />}
      <NewKeyForm onCreate={(body) => create.mutate(body)} pending={create.isPending} error={create.error} />
      <QueryState query={keys} label="the API keys">
        {(list) => (
          <ul>
            {list.map((k) => (
              <li key={k.id}>
                <code>{k.prefix}…</code> {k.name ?? ''} ({k.operator}) <Badge value={k.status} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </>
  );
}
