import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../auth';
import { NewKeyForm } from '../components/new-key-form';
import { ErrorText, QueryState } from '../components/query-state';
import { Badge, SecretOnce, when } from '../components/widgets';
import { unwrap } from '../session';

export function ApiKeysPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  // The new key lives in this state only until "Done": it is never cached nor fetched again.
  const [created, setCreated] = useState<string | null>(null);
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/api-keys')) });
  const changed = () => queryClient.invalidateQueries({ queryKey: ['api-keys'] });
  const create = useMutation({
    mutationFn: (body: { name: string; operator: string }) => unwrap(api.POST('/api-keys', { body })),
    onSuccess: (data) => {
      setCreated(data.key);
      return changed();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api-keys/{id}/revoke', { params: { path: { id } }, body: { force: false } })),
    onSuccess: changed,
  });
  return (
    <section>
      <h1>API keys</h1>
      {created && <SecretOnce secret={created} what="API key" onDone={() => setCreated(null)} />}
      <NewKeyForm onCreate={(body) => create.mutate(body)} pending={create.isPending} error={create.error} />
      <ErrorText error={revoke.error} />
      <QueryState query={keys} label="the API keys">
        {(list) => (
          <table>
            <caption className="visually-hidden">API keys of the account</caption>
            <thead>
              <tr>
                <th scope="col">Prefix</th>
                <th scope="col">Name</th>
                <th scope="col">Operator</th>
                <th scope="col">Status</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id}>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{k.name ?? ''}</td>
                  <td>{k.operator}</td>
                  <td>
                    <Badge value={k.status} />
                  </td>
                  <td>{when(k.lastUsedAt)}</td>
                  <td>
                    {k.status === 'ACTIVE' && (
                      <button
                        type="button"
                        className="small"
                        aria-label={`Revoke ${k.prefix}`}
                        onClick={() => {
                          if (window.confirm(`Revoke the key ${k.prefix}…? Requests with it will be refused.`)) {
                            revoke.mutate(k.id);
                          }
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}
