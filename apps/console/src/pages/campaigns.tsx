import type { components } from '@postline/client';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../auth';
import { Chart, type ChartOption } from '../components/chart';
import { ErrorText, QueryState } from '../components/query-state';
import { Pager, percent, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

type Report = components['schemas']['CampaignReportView'];
type Rates = components['schemas']['RatesView'];

export function CampaignsPage() {
  const api = useApi();
  const pager = usePager();
  const campaigns = useQuery({
    queryKey: ['campaigns', pager.cursor],
    queryFn: () => unwrap(api.GET('/reports/campaigns', { params: { query: { cursor: pager.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <section>
      <h1>Campaigns</h1>
      <p className="hint">A campaign is every email sent with the same externalId.</p>
      <QueryState query={campaigns} label="the campaigns">
        {(page) =>
          page.items.length === 0 ? (
            <p>No campaign yet: send emails with an externalId.</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Campaigns</caption>
                <thead>
                  <tr>
                    <th scope="col">External id</th>
                    <th scope="col">Emails</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">Hard bounces</th>
                    <th scope="col">Last activity</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((c) => (
                    <tr key={c.externalId}>
                      <td>
                        <Link to={`/campaigns/${encodeURIComponent(c.externalId)}`}>{c.externalId}</Link>
                      </td>
                      <td>{c.total.toLocaleString()}</td>
                      <td>{percent(c.rates.deliveryRate)}</td>
                      <td>{percent(c.rates.hardBounceRate)}</td>
                      <td>{when(c.lastActivityAt)}</td>
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

const RATE_NAMES: [keyof Rates, string][] = [
  ['deliveryRate', 'Delivery'],
  ['hardBounceRate', 'Hard bounce'],
  ['softBounceRate', 'Soft bounce'],
  ['complaintRate', 'Complaint'],
  ['openRate', 'Open'],
  ['clickRate', 'Click'],
  ['unsubscribeRate', 'Unsubscribe'],
];

const SERIES = [
  ['sent', 'Sent'],
  ['delivered', 'Delivered'],
  ['hardBounced', 'Hard bounced'],
  ['complained', 'Complained'],
  ['opened', 'Opened'],
  ['clicked', 'Clicked'],
] as const;

function seriesChart(report: Report): ChartOption {
  const points = report.series.points;
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', minInterval: 1 },
    series: SERIES.map(([key, name]) => ({
      name,
      type: 'line',
      showSymbol: points.length < 60,
      data: points.map((p) => [p.at, p[key]]),
    })),
  };
}

export function CampaignPage() {
  const api = useApi();
  const { externalId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  // Only the emails carrying one tag (`name:value`), counted by the API from those emails.
  const tag = params.get('tag') || undefined;
  const report = useQuery({
    queryKey: ['campaign', externalId, tag],
    queryFn: () =>
      unwrap(api.GET('/reports/campaigns/{externalId}', { params: { path: { externalId }, query: { tag } } })),
  });
  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('tag');
    setParams(typeof value === 'string' && value.trim() ? { tag: value.trim() } : {});
  };
  const csv = useMutation({
    mutationFn: async () => {
      // The same report as CSV (the API answers text/csv to this Accept header), saved as a file.
      const { data, error, response } = await api.GET('/reports/campaigns/{externalId}', {
        params: { path: { externalId }, query: { tag } },
        headers: { accept: 'text/csv' },
        parseAs: 'text',
      });
      if (!response.ok || data === undefined) throw new Error(`CSV download failed: ${JSON.stringify(error)}`);
      const url = URL.createObjectURL(new Blob([data], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `campaign-${`${externalId}${tag ? `-${tag}` : ''}`.replace(/[^\w.-]+/g, '_')}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  const option = useMemo(() => (report.data ? seriesChart(report.data) : null), [report.data]);

  return (
    <section>
      <h1>
        Campaign <code>{externalId}</code>
      </h1>
      <form className="filters" onSubmit={filter} aria-label="Filter the report by tag" key={tag ?? ''}>
        <label>
          Only emails tagged (name:value)
          <input name="tag" defaultValue={tag ?? ''} placeholder="segment:vip" />
        </label>
        <button type="submit">Apply</button>
      </form>
      <p>
        <button type="button" onClick={() => csv.mutate()} disabled={csv.isPending}>
          Download CSV
        </button>
      </p>
      <ErrorText error={csv.error} />
      <QueryState query={report} label="the campaign report">
        {(r) => (
          <>
            <p>
              {r.total.toLocaleString()} emails{tag ? ` tagged ${tag}` : ''}, from {when(r.firstActivityAt)} to{' '}
              {when(r.lastActivityAt)}.
            </p>
            <dl className="cards">
              {RATE_NAMES.map(([key, name]) => (
                <div key={key} className="card">
                  <dt>{name} rate</dt>
                  <dd className="number">{percent(r.rates[key])}</dd>
                </div>
              ))}
            </dl>
            {option && (
              <Chart option={option} label={`Campaign ${externalId} per ${r.series.granularity}: emails by outcome`} />
            )}
            <h2>By status</h2>
            <table>
              <caption className="visually-hidden">Emails of the campaign by current status</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Emails</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(r.byStatus as Record<string, number>).map(([status, count]) => (
                  <tr key={status}>
                    <td>{status}</td>
                    <td>{count.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </section>
  );
}
