import { checkQueries, declaredMetricNames, metricNames, namesInExposition, shippedQueries } from './monitoring-check';

describe('the shipped Grafana dashboard and Prometheus alerts', () => {
  it('parse, and every query is valid PromQL over metrics the apps declare', async () => {
    const queries = shippedQueries();
    expect(queries.length).toBeGreaterThan(20);
    expect(checkQueries(queries, await declaredMetricNames())).toEqual([]);
  });

  it('cover the figures an operator scales and alerts on', () => {
    const named = new Set(shippedQueries().flatMap((q) => metricNames(q.expr)));
    for (const name of [
      'postline_queue_jobs',
      'postline_outbox_rows',
      'postline_outbox_oldest_age_seconds',
      'postline_webhook_deliveries_due',
      'postline_webhook_deliveries_oldest_due_seconds',
      'postline_accept_to_sent_seconds_bucket',
      'postline_event_to_callback_seconds_bucket',
      'postline_sender_max_send_rate',
      'postline_sender_paused',
      'postline_reputation_accounts',
      'process_cpu_seconds_total',
    ]) {
      expect(named).toContain(name);
    }
  });
});

describe(checkQueries.name, () => {
  const exposed = new Set(['postline_queue_jobs', 'postline_outbox_rows']);

  it('reports a metric name no app exposes (a typo)', () => {
    expect(checkQueries([{ where: 'panel X', expr: 'max(postline_queue_job)' }], exposed)).toEqual([
      'panel X: no app exposes postline_queue_job',
    ]);
  });

  it('reports an expression that does not parse', () => {
    expect(checkQueries([{ where: 'alert Y', expr: 'max(postline_outbox_rows) >' }], exposed)).toEqual([
      expect.stringMatching(/^alert Y: PromQL does not parse/),
    ]);
  });
});

describe(namesInExposition.name, () => {
  it('reads sample names, not comments', () => {
    const text = '# HELP a_total x\n# TYPE a_total counter\na_total 1\nb_bucket{le="1"} 2\nc 3\n';
    expect([...namesInExposition(text)]).toEqual(['a_total', 'b_bucket', 'c']);
  });
});
