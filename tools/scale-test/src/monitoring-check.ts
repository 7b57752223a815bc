import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './app-process';

export const DASHBOARD_FILE = 'deploy/grafana/postline.json';
export const ALERTS_FILE = 'deploy/prometheus/alerts.yml';

export interface Query {
  /** Where it is: a panel title or an alert name. */
  where: string;
  expr: string;
}

/** Every PromQL expression of the shipped dashboard and alert rules. */
export function shippedQueries(root = REPO_ROOT): Query[] {
  const dashboard = JSON.parse(readFileSync(join(root, DASHBOARD_FILE), 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  const alerts = parseYaml(readFileSync(join(root, ALERTS_FILE), 'utf8')) as {
    groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  return [
    ...dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((t) => ({ where: `dashboard panel "${panel.title}"`, expr: t.expr })),
    ),
    ...alerts.groups.flatMap((group) =>
      group.rules.map((rule) => ({ where: `alert ${rule.alert ?? rule.record}`, expr: String(rule.expr) })),
    ),
  ];
}

/** The metric names a PromQL expression selects; throws when the expression does not parse. */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  let error: number | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError && error === undefined) error = node.from;
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) names.push(expr.slice(name.from, name.to));
      }
    },
  });
  if (error !== undefined) throw new Error(`PromQL does not parse at ${error}: ${expr}`);
  return names;
}

/** Problems of the shipped queries against the metric names the apps expose (empty when all is well). */
export function checkQueries(queries: Query[], exposed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const query of queries) {
    try {
      for (const name of metricNames(query.expr)) {
        if (!exposed.has(name)) problems.push(`${query.where}: no app exposes ${name}`);
      }
    } catch (error) {
      problems.push(`${query.where}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Sample names in a Prometheus text exposition (histograms give _bucket, _sum and _count). */
export function namesInExposition(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (match) names.add(match[1]);
  }
  return names;
}

/**
 * The names the code declares, without running the apps: every `name: 'postline_…'` of a prom-client metric in
 * apps/ and libs/ (histograms with their series), and Node's default process metrics.
 */
export async function declaredMetricNames(root = REPO_ROOT): Promise<Set<string>> {
  const names = new Set<string>();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of namesInExposition(await registry.metrics())) names.add(name);
  for (const file of ['apps', 'libs'].flatMap((dir) => sourceFiles(join(root, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/new (Counter|Gauge|Histogram|Summary)\(\{\s*name: '([a-z_:]+)'/g)) {
      names.add(match[2]);
      if (match[1] === 'Histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(match[2] + s);
    }
    for (const match of text.matchAll(/gauge\(\s*'([a-z_:]+)'/g)) names.add(match[1]);
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'generated') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}
