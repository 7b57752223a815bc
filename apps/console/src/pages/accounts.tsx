import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../auth';
import { QueryState } from '../components/query-state';
import { Badge, Pager, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

export function AccountsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const review = params.get('queue') === 'review';
  const name = params.get('name') ?? '';
  const [search, setSearch] = useState(name);
  const pager = usePager();
  const { reset } = pager;
  useEffect(reset, [review, name, reset]);
  const accounts = useQuery({
    queryKey: ['admin-accounts', review, name, pager.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/admin/accounts', {
          params: {
            query: {
              state: review ? 'WARNING,BLOCKED' : undefined,
              name: name || undefined,
              cursor: pager.cursor,
              limit: 50,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    if (search.trim()) next.set('name', search.trim());
    else next.delete('name');
    setParams(next);
  };
  return (
    <section>
      <h1>{review ? 'Review queue' : 'Accounts'}</h1>
      {review && <p className="hint">Accounts in WARNING or BLOCKED, newest first.</p>}
      <form className="inline" onSubmit={submit} aria-label="Find accounts">
        <label>
          Name starts with
          <input value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      <QueryState query={accounts} label="the accounts">
        {(page) =>
          page.items.length === 0 ? (
            <p>{review ? 'Nothing to review.' : 'No account.'}</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Accounts</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">State</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((a) => (
                    <tr key={a.id}>
                      <td>
                        <Link to={`/accounts/${a.id}`}>{a.name}</Link>
                      </td>
                      <td>
                        <Badge value={a.reputationState} />
                      </td>
                      <td>{a.reputationReason ?? ''}</td>
                      <td>{when(a.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )
        }
      </QueryState>
    </section>
  );
}
