import type { components, operations } from '@postline/client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../auth';
import { QueryState } from '../components/query-state';
import { Badge, Pager, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

type Query = NonNullable<operations['EmailsController_list']['parameters']['query']>;
type Status = NonNullable<Query['status']>;
type Email = components['schemas']['EmailViewDoc'];

const STATUSES = [
  'SCHEDULED',
  'QUEUED',
  'DEQUEUED',
  'SENT',
  'DELAYED',
  'DELIVERED',
  'OPEN',
  'CLICK',
  'BOUNCED',
  'BOUNCED_PERMANENT',
  'COMPLAINED',
  'UNSUBSCRIBED',
  'BAD_TO',
  'BAD_FROM',
  'BLACKLISTED',
  'BLOCKED_DUE_BAD_BEHAVIOUR',
  'NOT_SENT',
  'EXHAUSTED',
  'INCOMPLETE',
  'CANCELED',
] as const satisfies readonly Status[];
// The type check fails when the API gains a status this list lacks.
const everyStatus: [Exclude<Status, (typeof STATUSES)[number]>] extends [never] ? true : never = true;
void everyStatus;

const TEXT_FILTERS = [
  ['to', 'To'],
  ['from', 'From'],
  ['externalId', 'External id (campaign)'],
  ['clientId', 'Client id'],
  ['tag', 'Tag (name:value)'],
] as const;

/** Tags as the filter takes them, `name:value`. */
export const tagList = (tags: Email['tags']) => (tags ?? []).map((t) => `${t.name}:${t.value}`).join(', ');

const nextDay = (day: string) => {
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : new Date(at.getTime() + 86_400_000).toISOString();
};

export function EmailsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const pager = usePager();
  const filters: Query = {};
  for (const [name] of TEXT_FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const status = params.get('status');
  if (status) filters.status = status as Status;
  // Days are UTC days, as in the reports: "through" includes the whole day.
  const since = params.get('since');
  const through = params.get('through');
  if (since) filters.since = since;
  if (through) filters.until = nextDay(through);
  const key = JSON.stringify(filters);
  const { reset } = pager;
  // New filters start again from the first page.
  useEffect(reset, [key, reset]);

  const emails = useQuery({
    queryKey: ['emails', key, pager.cursor],
    queryFn: () => unwrap(api.GET('/emails', { params: { query: { ...filters, cursor: pager.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const [name, value] of form) if (typeof value === 'string' && value.trim()) next.set(name, value.trim());
    setParams(next);
  };

  return (
    <section>
      <h1>Emails</h1>
      <form className="filters" onSubmit={submit} aria-label="Filter emails" key={key}>
        <label>
          Status
          <select name="status" defaultValue={filters.status ?? ''}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {TEXT_FILTERS.map(([name, label]) => (
          <label key={name}>
            {label}
            <input name={name} defaultValue={filters[name] ?? ''} />
          </label>
        ))}
        <label>
          Accepted from (UTC day)
          <input type="date" name="since" defaultValue={since ?? ''} />
        </label>
        <label>
          through
          <input type="date" name="through" defaultValue={through ?? ''} />
        </label>
        <button type="submit">Search</button>
      </form>
      <QueryState query={emails} label="the emails">
        {(page) => (
          <>
            <EmailTable emails={page.items} />
            <Pager pager={pager} nextCursor={page.nextCursor} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function EmailTable({ emails }: { emails: Email[] }) {
  if (emails.length === 0) return <p>No email matches.</p>;
  return (
    <table>
      <caption className="visually-hidden">Emails, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">To</th>
          <th scope="col">Subject</th>
          <th scope="col">Status</th>
          <th scope="col">External id</th>
          <th scope="col">Tags</th>
        </tr>
      </thead>
      <tbody>
        {emails.map((e) => (
          <tr key={e.id}>
            <td>{when(e.createdAt)}</td>
            <td>
              <Link to={`/emails/${e.id}`}>{e.to}</Link>
            </td>
            <td>{e.subject}</td>
            <td>
              <Badge value={e.status} />
            </td>
            <td>{e.externalId ?? ''}</td>
            <td>{tagList(e.tags)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
