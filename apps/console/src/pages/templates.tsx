import type { components } from '@postline/client';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../auth';
import { ErrorText, QueryState } from '../components/query-state';
import { Pager, usePager, when } from '../components/widgets';
import { unwrap } from '../session';

type Template = components['schemas']['TemplateView'];
interface Content {
  subject: string;
  html: string;
  text: string;
}

// Empty bodies are sent as null: the API then keeps only the other one (and derives text from html).
const body = (c: Content) => ({
  subject: c.subject,
  html: c.html.trim() ? c.html : null,
  text: c.text.trim() ? c.text : null,
});

export function TemplatesPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pager = usePager();
  const list = useQuery({
    queryKey: ['templates', pager.cursor],
    queryFn: () => unwrap(api.GET('/templates', { params: { query: { cursor: pager.cursor, limit: 50 } } })),
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: (c: Content & { name: string }) =>
      unwrap(api.POST('/templates', { body: { name: c.name, ...body(c) } })),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      void navigate(`/templates/${created.id}`);
    },
  });
  return (
    <section>
      <h1>Templates</h1>
      <p className="hint">
        Subject, HTML and text with Handlebars <code>{'{{placeholders}}'}</code>; send with <code>templateId</code> and{' '}
        <code>variables</code>. Every change of the content makes a new version.
      </p>
      <QueryState query={list} label="the templates">
        {(page) =>
          page.items.length === 0 ? (
            <p>No template yet.</p>
          ) : (
            <>
              <table>
                <caption className="visually-hidden">Templates, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Version</th>
                    <th scope="col">Changed</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((t) => (
                    <tr key={t.id}>
                      <td>
                        <Link to={`/templates/${t.id}`}>{t.name}</Link>
                      </td>
                      <td>{t.version}</td>
                      <td>{when(t.updatedAt)}</td>
                      <td>{when(t.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager pager={pager} nextCursor={page.nextCursor} />
            </>
          )
        }
      </QueryState>
      <h2>New template</h2>
      <TemplateForm
        label="New template"
        withName
        submitLabel="Create template"
        pending={create.isPending}
        onSubmit={(c) => create.mutate(c)}
      />
      <ErrorText error={create.error} />
    </section>
  );
}

export function TemplatePage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [editing, setEditing] = useState(false);
  const template = useQuery({
    queryKey: ['template', id],
    queryFn: () => unwrap(api.GET('/templates/{id}', { params: { path: { id } } })),
  });
  const versions = useQuery({
    queryKey: ['template-versions', id],
    queryFn: () => unwrap(api.GET('/templates/{id}/versions', { params: { path: { id } } })),
  });
  const changed = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['templates'] }),
      queryClient.invalidateQueries({ queryKey: ['template', id] }),
      queryClient.invalidateQueries({ queryKey: ['template-versions', id] }),
    ]);
  const update = useMutation({
    mutationFn: (c: Content) => unwrap(api.PATCH('/templates/{id}', { params: { path: { id } }, body: body(c) })),
    onSuccess: async () => {
      setEditing(false);
      await changed();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/templates/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['templates'] });
      void navigate('/templates');
    },
  });
  return (
    <section>
      <h1>Template</h1>
      <QueryState query={template} label="the template">
        {(t) => (
          <>
            <TemplateDetails template={t} />
            <p>
              <button type="button" onClick={() => setEditing((e) => !e)}>
                {editing ? 'Cancel editing' : 'Edit'}
              </button>{' '}
              <button
                type="button"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete the template ${t.name}? New emails can no longer use it.`))
                    remove.mutate();
                }}
              >
                Delete
              </button>
            </p>
            <ErrorText error={remove.error} />
            {editing && (
              <>
                <TemplateForm
                  label="Edit the template"
                  initial={{ subject: t.subject, html: t.html ?? '', text: t.text ?? '' }}
                  submitLabel="Save as a new version"
                  pending={update.isPending}
                  onSubmit={(c) => update.mutate(c)}
                />
                <ErrorText error={update.error} />
              </>
            )}
            <h2>Preview</h2>
            <Preview id={id} version={t.version} />
          </>
        )}
      </QueryState>
      <h2>Versions</h2>
      <QueryState query={versions} label="the versions">
        {(list) => (
          <table>
            <caption className="visually-hidden">Versions of the template, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Subject</th>
                <th scope="col">Made</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((v) => (
                <tr key={v.version}>
                  <td>{v.version}</td>
                  <td>{v.subject}</td>
                  <td>{when(v.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
    </section>
  );
}

function TemplateDetails({ template: t }: { template: Template }) {
  const rows: [string, React.ReactNode][] = [
    ['Name', t.name],
    ['Version', t.version],
    ['Subject', <code key="s">{t.subject}</code>],
    ['HTML', t.html === null ? '—' : <pre key="h">{t.html}</pre>],
    ['Text', t.text === null ? '—' : <pre key="t">{t.text}</pre>],
    ['Changed', when(t.updatedAt)],
    ['Id', t.id],
  ];
  return (
    <dl className="details" aria-label="Template details">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd data-field={name}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function TemplateForm({
  label,
  initial = { subject: '', html: '', text: '' },
  withName = false,
  submitLabel,
  pending,
  onSubmit,
}: {
  label: string;
  initial?: Content;
  withName?: boolean;
  submitLabel: string;
  pending: boolean;
  onSubmit: (content: Content & { name: string }) => void;
}) {
  const [name, setName] = useState('');
  const [content, setContent] = useState(initial);
  const field = (key: keyof Content) => ({
    value: content[key],
    onChange: (e: { target: { value: string } }) => setContent((c) => ({ ...c, [key]: e.target.value })),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ ...content, name: name.trim() });
  };
  return (
    <form className="stacked" onSubmit={submit} aria-label={label}>
      {withName && (
        <label>
          Name
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      )}
      <label>
        Subject
        <input required {...field('subject')} />
      </label>
      <label>
        HTML
        <textarea rows={6} {...field('html')} />
      </label>
      <label>
        Text
        <textarea rows={4} {...field('text')} />
      </label>
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}

function Preview({ id, version }: { id: string; version: number }) {
  const api = useApi();
  const [variables, setVariables] = useState('{}');
  const [invalid, setInvalid] = useState<string | null>(null);
  const render = useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      unwrap(api.POST('/templates/{id}/render', { params: { path: { id } }, body: { variables: values } })),
  });
  const { reset } = render;
  // A preview of an older version would mislead after an edit: keep the variables, drop the result.
  useEffect(reset, [version, reset]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let values: unknown;
    try {
      values = JSON.parse(variables || '{}');
    } catch {
      values = undefined;
    }
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      setInvalid('Variables must be a JSON object, e.g. {"firstName": "Zoë"}.');
      return;
    }
    setInvalid(null);
    render.mutate(values as Record<string, unknown>);
  };
  return (
    <>
      <form className="stacked" onSubmit={submit} aria-label="Preview the template">
        <label>
          Variables (JSON)
          <textarea rows={4} value={variables} onChange={(e) => setVariables(e.target.value)} />
        </label>
        <button type="submit" disabled={render.isPending}>
          Preview
        </button>
      </form>
      {invalid && (
        <p className="error" role="alert">
          {invalid}
        </p>
      )}
      <ErrorText error={render.error} />
      {render.data && !render.isPending && (
        <dl className="details" aria-label="Rendered template">
          <div>
            <dt>Version</dt>
            <dd>{render.data.version}</dd>
          </div>
          <div>
            <dt>Subject</dt>
            <dd data-field="Rendered subject">{render.data.subject}</dd>
          </div>
          <div>
            <dt>HTML</dt>
            <dd>{render.data.html === null ? '—' : <pre>{render.data.html}</pre>}</dd>
          </div>
          <div>
            <dt>Text</dt>
            <dd>{render.data.text === null ? '—' : <pre>{render.data.text}</pre>}</dd>
          </div>
        </dl>
      )}
    </>
  );
}
