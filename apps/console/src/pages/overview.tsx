import type { components } from '@postline/client';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApi } from '../auth';
import { Chart, type ChartOption } from '../components/chart';
import { QueryState } from '../components/query-state';
import { Badge, percent } from '../components/widgets';
import { unwrap } from '../session';

type Summary = components['schemas']['AccountSummaryView'];

const RANGES = { '24h': 1, '7d': 7, '30d': 30 } as const;
type Range = keyof typeof RANGES;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The report's UTC days covering the range: 24 h spans yesterday and today. */
function daysOf(range: Range): { from: string; to: string } {
  const now = new Date();
  return { from: day(new Date(now.getTime() - RANGES[range] * 86_400_000)), to: day(now) };
}

const SERIES: [keyof Summary['days'][number], string][] = [
  ['sent', 'Sent'],
  ['delivered', 'Delivered'],
  ['hardBounced', 'Bounced (hard)'],
  ['softBounced', 'Bounced (soft)'],
  ['complained', 'Complained'],
  ['opened', 'Opened'],
  ['clicked', 'Clicked'],
];

function volumeChart(summary: Summary): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: summary.days.map((d) => d.date) },
    yAxis: { type: 'value', minInterval: 1 },
    series: SERIES.map(([key, name]) => ({
      name,
      type: 'line',
      showSymbol: summary.days.length < 40,
      data: summary.days.map((d) => d[key]),
    })),
  };
}

/** The next 1, 2, 2.5 or 5 × 10ⁿ at or above `x`, so that the axis ends on a round value. */
function niceCeil(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= x) ?? 10) * power;
}

/** One daily rate (hard bounces or complaints over sent) against the account's warning and block thresholds. */
function rateChart(summary: Summary, kind: 'bounce' | 'complaint', limits: { warning: number; block: number }) {
  const rates = summary.days.map((d) =>
    d.sent > 0 ? (kind === 'bounce' ? d.hardBounced : d.complained) / d.sent : null,
  );
  const highest = niceCeil(Math.max(limits.block * 1.2, ...rates.map((r) => r ?? 0)));
  const digits = kind === 'bounce' ? 1 : 2;
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => percent(v, digits + 1) },
    title: { text: kind === 'bounce' ? 'Bounce rate' : 'Complaint rate', textStyle: { fontSize: 13 } },
    grid: { left: 60, right: 110, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: summary.days.map((d) => d.date) },
    yAxis: { type: 'value', min: 0, max: highest, axisLabel: { formatter: (v: number) => percent(v, digits) } },
    series: [
      {
        name: kind === 'bounce' ? 'Bounce rate' : 'Complaint rate',
        type: 'line',
        connectNulls: false,
        data: rates,
        markLine: {
          symbol: 'none',
          silent: true,
          // ECharts rounds mark lines to 2 decimals by default: 0.001 would be drawn at 0.
          precision: 6,
          label: { position: 'end', formatter: (p: { name: string }) => p.name },
          data: [
            {
              yAxis: limits.warning,
              name: `warning ${percent(limits.warning, digits)}`,
              lineStyle: { color: '#b45309', type: 'dashed' },
            },
            {
              yAxis: limits.block,
              name: `block ${percent(limits.block, digits)}`,
              lineStyle: { color: '#b91c1c', type: 'solid' },
            },
          ],
        },
      },
    ],
  } satisfies ChartOption;
}

export function OverviewPage() {
  const api = useApi();
  const [range, setRange] = useState<Range>('7d');
  const { from, to } = daysOf(range);
  const summary = useQuery({
    queryKey: ['summary', from, to],
    queryFn: () => unwrap(api.GET('/reports/summary', { params: { query: { from, to } } })),
  });
  const reputation = useQuery({ queryKey: ['reputation'], queryFn: () => unwrap(api.GET('/reputation')) });

  return (
    <section>
      <h1>Overview</h1>
      <div className="tabs" role="group" aria-label="Period">
        {(Object.keys(RANGES) as Range[]).map((r) => (
          <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
            Last {r}
          </button>
        ))}
      </div>
      <QueryState query={summary} label="the summary">
        {(s) => <Totals summary={s} />}
      </QueryState>
      <QueryState query={summary} label="the daily volumes">
        {(s) => <VolumeChart summary={s} />}
      </QueryState>
      <h2>Bounce and complaint rates</h2>
      <QueryState query={reputation} label="the reputation">
        {(rep) => (
          <>
            <p>
              State <Badge value={rep.state} /> over the last {rep.window.hours} h: bounce rate{' '}
              <strong>{percent(rep.rates.bounce)}</strong> (warning {percent(rep.thresholds.bounce.warning, 1)}, block{' '}
              {percent(rep.thresholds.bounce.block, 1)}), complaint rate{' '}
              <strong>{percent(rep.rates.complaint, 3)}</strong> (warning {percent(rep.thresholds.complaint.warning, 2)}
              , block {percent(rep.thresholds.complaint.block, 2)}).
            </p>
            {summary.data && (
              <div className="pair">
                <RateChart summary={summary.data} kind="bounce" limits={rep.thresholds.bounce} />
                <RateChart summary={summary.data} kind="complaint" limits={rep.thresholds.complaint} />
              </div>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}

function Totals({ summary }: { summary: Summary }) {
  const t = summary.totals;
  const cards: [string, number, string][] = [
    ['Sent', t.sent, ''],
    ['Delivered', t.delivered, percent(summary.rates.deliveryRate)],
    ['Bounced', t.hardBounced + t.softBounced, percent(summary.rates.hardBounceRate)],
    ['Complained', t.complained, percent(summary.rates.complaintRate, 3)],
    ['Opened', t.opened, percent(summary.rates.openRate)],
    ['Clicked', t.clicked, percent(summary.rates.clickRate)],
  ];
  return (
    <dl className="cards">
      {cards.map(([name, value, rate]) => (
        <div key={name} className="card">
          <dt>{name}</dt>
          <dd>
            <span className="number">{value.toLocaleString()}</span> {rate && <span className="rate">{rate}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function VolumeChart({ summary }: { summary: Summary }) {
  const option = useMemo(() => volumeChart(summary), [summary]);
  return <Chart option={option} label={`Emails per day from ${summary.from} to ${summary.to}`} />;
}

function RateChart({
  summary,
  kind,
  limits,
}: {
  summary: Summary;
  kind: 'bounce' | 'complaint';
  limits: { warning: number; block: number };
}) {
  const option = useMemo(() => rateChart(summary, kind, limits), [summary, kind, limits]);
  return <Chart option={option} height={220} label={`Daily ${kind} rate against the warning and block thresholds`} />;
}
