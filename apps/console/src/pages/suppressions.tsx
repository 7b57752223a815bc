import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from '../auth';
import { ErrorText, QueryState } from '../components/query-state';
import { Badge, Pager, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

export function SuppressionsPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const pager = usePager();
  const [address, setAddress] = useState('');
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState('');
  const { reset } = pager;
  useEffect(reset, [searched, reset]);
  const list = useQuery({
    queryKey: ['suppressions', searched, pager.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/suppressions', {
          params: { query: { address: searched || undefined, cursor: pager.cursor, limit: 50 } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const changed = () => queryClient.invalidateQueries({ queryKey: ['suppressions'] });
  const add = useMutation({
    mutationFn: (value: string) => unwrap(api.POST('/suppressions', { body: { address: value } })),
    onSuccess: () => {
      setAddress('');
      return changed();
    },
  });
  const remove = useMutation({
    mutationFn: (value: string) =>
      unwrap(api.DELETE('/suppressions/{address}', { params: { path: { address: value } } })),
    onSuccess: changed,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(address.trim());
  };
  const find = (event: FormEvent) => {
    event.preventDefault();
    setSearched(search.trim());
  };
  return (
    <section>
      <h1>Suppressions</h1>
      <p className="hint">Addresses Postline never mails again: hard bounces, complaints, unsubscribes, and yours.</p>
      <form className="inline" onSubmit={submit} aria-label="Suppress an address">
        <label>
          Address
          <input type="email" required value={address} onChange={(e) => setAddress(e.target.value)} />
        </label>
        <button type="submit" disabled={add.isPending}>
          Suppress
        </button>
      </form>
      <ErrorText error={add.error ?? remove.error} />
      <form className="inline" onSubmit={find} aria-label="Search the suppressions">
        <label>
          Find an address
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <button type="submit">Find</button>
      </form>
      <QueryState query={list} label="the suppressions">
        {(page) =>
          page.items.length === 0 ? (
            <p>{searched ? `${searched} is not suppressed.` : 'No suppressed address.'}</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Suppressed addresses, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Since</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((s) => (
                    <tr key={s.address}>
                      <td>{s.address}</td>
                      <td>
                        <Badge value={s.reason} /> {s.detail ?? ''}
                      </td>
                      <td>{when(s.createdAt)}</td>
                      <td>
                        <button
                          type="button"
                          className="small"
                          aria-label={`Remove ${s.address}`}
                          onClick={() => remove.mutate(s.address)}
                        >
                          Remove
                        </button>
                      </td>
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
