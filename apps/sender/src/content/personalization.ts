import { type CompiledTemplate, TemplateCache, type TemplateParts, TemplateRenderError } from '@postline/templates';
import { DispatchStore } from '../dispatch/dispatch-store.service';
import { isHtml } from './html';
import type { OutgoingEmail } from './message-builder';

/** What an email's placeholders are filled from: its template version (or its own text) and its variables. */
export interface Personalization {
  template: { id: string; version: number } | null;
  variables: Record<string, unknown>;
}

/** Reads a template version's parts (from Postgres); null when it does not exist. */
export type TemplateVersionSource = (templateId: string, version: number) => Promise<TemplateParts | null>;

/**
 * Renders emails in the sender, off the gateway's hot path. Compiled templates are cached per template version
 * (versions are immutable, so an entry never goes stale) and inline content by its own text.
 */
export class Personalizer {
  private readonly versions = new TemplateCache(500, 32_000_000);
  private readonly inline = new TemplateCache(200, 8_000_000);
  private readonly loading = new Map<string, Promise<TemplateParts | null>>();

  constructor(private readonly source: TemplateVersionSource) {}

  /** The email with its placeholders filled; throws TemplateRenderError (the email ends INCOMPLETE). */
  async render(email: OutgoingEmail, personalization: Personalization): Promise<OutgoingEmail> {
    const compiled = personalization.template
      ? await this.compiledVersion(personalization.template.id, personalization.template.version)
      : this.inline.get(
          `${email.subject}\u0000${email.html ?? ''}\u0000${email.text}`,
          () => ({ subject: email.subject, html: email.html ?? null, text: email.text }),
          { textIsHtml: isHtml(email.text) },
        );
    const rendered = compiled.render(personalization.variables);
    return { ...email, subject: rendered.subject, html: rendered.html, text: rendered.text ?? '' };
  }

  private async compiledVersion(templateId: string, version: number): Promise<CompiledTemplate> {
    const key = `${templateId}:${version}`;
    const hit = this.versions.peek(key);
    if (hit) return hit;
    // Concurrent jobs of one campaign wait for the same read.
    let loading = this.loading.get(key);
    if (!loading) {
      loading = this.source(templateId, version).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    const parts = await loading;
    if (!parts) throw new TemplateRenderError(`template ${templateId} has no version ${version}`, 'subject');
    return this.versions.get(key, () => parts);
  }
}

/** The Personalizer reading template versions through the DispatchStore. */
export const personalizerProvider = {
  provide: Personalizer,
  useFactory: (store: DispatchStore) =>
    new Personalizer((id: string, version: number) => store.templateVersion(id, version)),
  inject: [DispatchStore],
};
