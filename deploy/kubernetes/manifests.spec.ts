import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QueueName } from '@postline/contracts';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { Env as SenderEnv } from '../../apps/sender/src/env';
import { Env as WebhooksEnv } from '../../apps/webhooks/src/env';

// The kustomize base, rendered as kustomize would (its resources, common labels and image), each object validated
// against the Kubernetes and KEDA schemas, then the operational promises checked.
const base = __dirname;
const apps = ['gateway', 'events', 'sender', 'reputation', 'webhooks'];

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } };
type Model = { validate(): void };
const models: Record<string, Record<string, new (data: never) => Model>> = {
  v1: coreV1 as never,
  'apps/v1': appsV1 as never,
  'batch/v1': batchV1 as never,
  'policy/v1': policyV1 as never,
  'autoscaling/v2': autoscalingV2 as never,
  'keda.sh/v1alpha1': keda as never,
};

/** Throws when the object does not match the schema of its apiVersion and kind (or they are unknown). */
function validate(object: Manifest): void {
  const Model = models[object.apiVersion]?.[object.kind];
  if (!Model) throw new Error(`${object.apiVersion} ${object.kind}: no schema known`);
  new Model(object as never).validate();
}

const kustomization = parseAllDocuments(readFileSync(resolve(base, 'kustomization.yaml'), 'utf8'))[0].toJS() as {
  resources: string[];
  labels: { pairs: Record<string, string> }[];
  images: { name: string; newName: string; newTag: string }[];
};

function render(): Manifest[] {
  const image = kustomization.images[0];
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(resolve(base, file), 'utf8')).map((document) => {
      const text = JSON.stringify(document.toJS()).replaceAll(
        `"image":"${image.name}"`,
        `"image":"${image.newName}:${image.newTag}"`,
      );
      const object = JSON.parse(text) as Manifest;
      object.metadata.labels = { ...object.metadata.labels, ...kustomization.labels[0].pairs };
      return object;
    }),
  );
}

interface Container {
  command: string[];
  image: string;
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { memory?: string } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
}
interface Workload extends Manifest {
  spec: { template: { metadata?: { labels: Record<string, string> }; spec: PodSpec } };
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const objects = render();
  const find = <T extends Manifest>(kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name) as T;
  const config = find<Manifest & { data: Record<string, string> }>('ConfigMap', 'postline-config');
  const secret = find<Manifest & { stringData: Record<string, string> }>('Secret', 'postline-secrets');

  it('lists every manifest file of the base', () => {
    const files = readdirSync(base).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('holds only objects that the Kubernetes and KEDA schemas accept', () => {
    const invalid = objects.flatMap((o) => {
      try {
        validate(o);
        return [];
      } catch (error) {
        return [`${o.kind} ${o.metadata.name}: ${(error as Error).message}`];
      }
    });
    expect(invalid).toEqual([]);
  });

  it('rejects an object the schema does not allow (the check can fail)', () => {
    const deployment = structuredClone(find<Workload>('Deployment', 'postline-gateway')) as unknown as {
      spec: { replicas: unknown };
    };
    deployment.spec.replicas = 'two';
    expect(() => validate(deployment as unknown as Manifest)).toThrow(/replicas/);
    expect(() => validate({ apiVersion: 'v1', kind: 'Nonsense', metadata: { name: 'x' } })).toThrow(/no schema/);
  });

  it.each(apps)('runs %s from the image, probed on /health, with resources, a budget and a long grace', (app) => {
    const deployment = find<Workload>('Deployment', `postline-${app}`);
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(container.command).toEqual(['node', `dist/apps/${app}/main.js`]);
    expect(container.image).toBe(`${kustomization.images[0].newName}:${kustomization.images[0].newTag}`);
    expect(container.readinessProbe?.httpGet?.path).toBe('/health');
    expect(container.livenessProbe?.httpGet?.path).toBe('/health');
    expect(container.resources).toMatchObject({
      requests: { cpu: expect.any(String), memory: expect.any(String) },
      limits: { memory: expect.any(String) },
    });
    expect(container.envFrom).toEqual([
      { configMapRef: { name: config.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    // On SIGTERM the workers finish their in-flight SES calls and callbacks, which time out; the pod must outlive that.
    const drainMs = Math.max(new SenderEnv().SES_REQUEST_TIMEOUT_MS, new WebhooksEnv().WEBHOOK_TIMEOUT_MS);
    expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(2 * drainMs);

    const budget = find<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>(
      'PodDisruptionBudget',
      `postline-${app}`,
    );
    expect(deployment.spec.template.metadata?.labels).toMatchObject(budget.spec.selector.matchLabels);
  });

  it.each(['gateway', 'events'])('exposes %s through a Service that selects its pods', (app) => {
    const service = find<Manifest & { spec: { selector: Record<string, string> } }>('Service', `postline-${app}`);
    const deployment = find<Workload>('Deployment', `postline-${app}`);
    expect(deployment.spec.template.metadata?.labels).toMatchObject(service.spec.selector);
  });

  it('migrates with a Job that runs once', () => {
    const job = find<Workload>('Job', 'postline-migrate');
    expect(job.spec.template.spec.containers[0].command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('scales the gateway on CPU', () => {
    const hpa = find<
      Manifest & { spec: { scaleTargetRef: { name: string }; metrics: { resource: { name: string } }[] } }
    >('HorizontalPodAutoscaler', 'postline-gateway');
    expect(hpa.spec.scaleTargetRef.name).toBe('postline-gateway');
    expect(hpa.spec.metrics.map((m) => m.resource.name)).toEqual(['cpu']);
  });

  type Scaled = Manifest & {
    spec: { scaleTargetRef: { name: string }; triggers: { type: string; metadata: Record<string, string> }[] };
  };

  it('scales the sender on the BullMQ wait list of email-send, named with the configured prefix', () => {
    const scaled = find<Scaled>('ScaledObject', 'postline-sender');
    expect(scaled.spec.scaleTargetRef.name).toBe('postline-sender');
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata.listName).toBe(`${config.data.QUEUE_PREFIX}:${QueueName.EmailSend}:wait`);
    expect(config.data[trigger.metadata.addressFromEnv]).toBeDefined();
  });

  it('scales webhooks on due WebhookDelivery rows', () => {
    const scaled = find<Scaled>('ScaledObject', 'postline-webhooks');
    expect(scaled.spec.scaleTargetRef.name).toBe('postline-webhooks');
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('postgresql');
    expect(trigger.metadata.query).toContain('"WebhookDelivery"');
    expect(secret.stringData[trigger.metadata.connectionFromEnv]).toBeDefined();
  });
});
