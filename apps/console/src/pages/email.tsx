import type { components } from '@postline/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useApi } from '../auth';
import { ErrorText, QueryState } from '../components/query-state';
import { Badge, when } from '../components/widgets';
import { unwrap } from '../session';
import { tagList } from './emails';

type Email = components['schemas']['EmailDetailViewDoc'];
type Delivery = components['schemas']['WebhookDeliveryView'];

// Statuses that SES events may still move on from: the page keeps asking while the email is in one of them.
const IN_FLIGHT = new Set(['QUEUED', 'DEQUEUED', 'SENT', 'DELAYED']);

export function EmailPage() {
  const api = useApi();
  const { id = '' } = useParams();
  const email = useQuery({
    queryKey: ['email', id],
    queryFn: () => unwrap(api.GET('/emails/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data && IN_FLIGHT.has(query.state.data.status) ? 2000 : false),
  });
  const callbacks = useQuery({
    queryKey: ['email-callbacks', id],
    queryFn: () => unwrap(api.GET('/emails/{id}/callbacks', { params: { path: { id } } })),
    refetchInterval: email.data && IN_FLIGHT.has(email.data.status) ? 2000 : false,
  });

  return (
    <section>
      <h1>Email</h1>
      <QueryState query={email} label="the email">
        {(e) => (
          <>
            <Details email={e} />
            <h2>Timeline</h2>
            <Timeline email={e} />
          </>
        )}
      </QueryState>
      <h2>Callbacks</h2>
      <QueryState query={callbacks} label="the callbacks">
        {(deliveries) => <Callbacks emailId={id} deliveries={deliveries} />}
      </QueryState>
    </section>
  );
}

function Details({ email }: { email: Email }) {
  const fromName = email.fromName ?? email.alias;
  const rows: [string, React.ReactNode][] = [
    ['Status', <Badge key="s" value={email.status} />],
    ['Reason', email.statusReason ?? '—'],
    ['To', email.to],
    ['From', fromName ? `${fromName} <${email.from}>` : email.from],
    ['Cc', email.cc?.join(', ') || '—'],
    ['Bcc', email.bcc?.join(', ') || '—'],
    ['Subject', email.subject],
    ['External id', email.externalId ?? '—'],
    ['Client id', email.clientId ?? '—'],
    ['Tags', tagList(email.tags) || '—'],
    ['Template', email.templateId ? `${email.templateId} (version ${email.templateVersion ?? '?'})` : '—'],
    ['Send at', when(email.sendAt)],
    ['Created', when(email.createdAt)],
    ['SES message id', email.sesMessageId ?? '—'],
    ['Id', email.id],
  ];
  return (
    <dl className="details" aria-label="Email details">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd data-field={name}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Timeline({ email }: { email: Email }) {
  if (email.events.length === 0) return <p>No event yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {email.events.map((event) => (
        <li key={event.id}>
          <time dateTime={event.occurredAt}>{when(event.occurredAt)}</time> <strong>{event.type}</strong>{' '}
          <span className="muted">({event.source})</span> <Badge value={event.status} />
          {event.newStatus && event.previousStatus !== event.newStatus && (
            <span className="muted">
              {' '}
              {event.previousStatus ?? '—'} → {event.newStatus}
            </span>
          )}
          {event.details && Object.keys(event.details).length > 0 && (
            <details>
              <summary>Details</summary>
              <pre>{JSON.stringify(event.details, null, 2)}</pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

function Callbacks({ emailId, deliveries }: { emailId: string; deliveries: Delivery[] }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const replay = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(api.POST('/webhook-deliveries/{id}/retry', { params: { path: { id: deliveryId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['email-callbacks', emailId] }),
  });
  if (deliveries.length === 0) return <p>No callback: the email named no callback URL.</p>;
  return (
    <>
      <ErrorText error={replay.error} />
      {deliveries.map((d) => (
        <article key={d.id} className="delivery">
          <h3>
            {d.type} → <code>{d.url}</code> <Badge value={d.status} />
          </h3>
          <p>
            {d.attempts} attempt(s){d.nextAttemptAt ? `, next at ${when(d.nextAttemptAt)}` : ''}.{' '}
            <button type="button" disabled={replay.isPending} onClick={() => replay.mutate(d.id)}>
              Replay
            </button>
          </p>
          {d.attemptLog.length > 0 && (
            <table>
              <caption className="visually-hidden">Attempts of this callback</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">At</th>
                  <th scope="col">HTTP status</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {d.attemptLog.map((a) => (
                  <tr key={a.attempt}>
                    <td>{a.attempt}</td>
                    <td>{when(a.at)}</td>
                    <td>{a.statusCode ?? '—'}</td>
                    <td>{a.latencyMs === null ? '—' : `${a.latencyMs} ms`}</td>
                    <td>{a.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </article>
      ))}
    </>
  );
}
