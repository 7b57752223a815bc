import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useApi } from '../auth';
import { ErrorText, QueryState } from '../components/query-state';
import { Badge, Pager, SecretOnce, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

export function WebhooksPage() {
  return (
    <section>
      <h1>Webhooks</h1>
      <NotificationUrl />
      <SigningSecret />
      <Notifications />
    </section>
  );
}

function NotificationUrl() {
  const api = useApi();
  const queryClient = useQueryClient();
  const account = useQuery({ queryKey: ['account'], queryFn: () => unwrap(api.GET('/account')) });
  const [url, setUrl] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: string) =>
      unwrap(api.PATCH('/account', { body: { notificationUrl: value === '' ? null : value } })),
    onSuccess: (data) => {
      queryClient.setQueryData(['account'], data);
      setUrl(null);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate((url ?? account.data?.notificationUrl ?? '').trim());
  };
  return (
    <>
      <h2>Account notifications</h2>
      <QueryState query={account} label="the account">
        {(a) => (
          <form className="inline" onSubmit={submit} aria-label="Notification URL">
            <label>
              URL for reputation notifications
              <input
                type="url"
                value={url ?? a.notificationUrl ?? ''}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://example.com/postline"
              />
            </label>
            <button type="submit" disabled={save.isPending}>
              Save
            </button>
          </form>
        )}
      </QueryState>
      <ErrorText error={save.error} />
    </>
  );
}

/**
 * The signing secret is shown only right after a rotation: the console never fetches it to display it again
 * (GET /account/webhook-secret exists for servers, not for a page someone may be looking over).
 */
function SigningSecret() {
  const api = useApi();
  const [shown, setShown] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/account/webhook-secret/rotate')),
    onSuccess: (data) => setShown(data.secret),
  });
  return (
    <>
      <h2>Signing secret</h2>
      <p className="hint">
        Callbacks are signed (Standard Webhooks). Rotating keeps the previous secret valid for a while, so that your
        servers can switch.
      </p>
      {shown ? (
        <SecretOnce secret={shown} what="webhook signing secret" onDone={() => setShown(null)} />
      ) : (
        <button type="button" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
          Rotate the secret
        </button>
      )}
      <ErrorText error={rotate.error} />
    </>
  );
}

function Notifications() {
  const api = useApi();
  const pager = usePager();
  const list = useQuery({
    queryKey: ['notifications', pager.cursor],
    queryFn: () =>
      unwrap(api.GET('/account/notifications', { params: { query: { cursor: pager.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h2>Account notifications sent</h2>
      <QueryState query={list} label="the notifications">
        {(page) =>
          page.items.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Account notifications, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Type</th>
                    <th scope="col">Target</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((d) => (
                    <tr key={d.id}>
                      <td>{when(d.createdAt)}</td>
                      <td>{d.type}</td>
                      <td>
                        <code>{d.url}</code>
                      </td>
                      <td>
                        <Badge value={d.status} /> {d.attempts} attempt(s)
                      </td>
                      <td>{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )
        }
      </QueryState>
    </>
  );
}
