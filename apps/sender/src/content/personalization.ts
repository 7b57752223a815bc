import { PG_POOL } from '@postline/database';
import { type CompiledTemplate, TemplateCache, type TemplateParts, TemplateRenderError } from '@postline/templates';
import type { Pool } from 'pg';
import { isHtml } from './html';
import type { OutgoingEmail } from './message-builder';

/** What an email's placeholders are filled from: its template version (or its own text) and its variables. */
export interface Personalization {
  template: { id: string; version: number } | null;
  variables: Record<string, unknown>;
}

/** Reads a template version's parts (from Postgres); null when it does not exist. */
export type TemplateVersionSource = (templateId: string, version: number) => Promise<TemplateParts | null>;

const versionKey = (id: string, version: number) => `${id}:${version}`;

/** The compiled template versions one dispatch round needs (null: no such version; an error: it does not compile). */
export type LoadedVersions = ReadonlyMap<string, CompiledTemplate | TemplateRenderError | null>;

/**
 * Renders emails in the sender, off the gateway's hot path. Compiled templates are cached per template version
 * (versions are immutable, so an entry never goes stale) and inline content by its own text.
 *
 * Rendering is split in two so that it runs inside the dispatch round, before "dispatch started" is written
 * (DispatchStore): `load` reads and compiles the template versions a round needs (async, usually all cached),
 * `renderLoaded` then fills placeholders synchronously. An email that cannot be rendered is refused INCOMPLETE
 * in that round, and a sender that dies while rendering leaves no dispatch in doubt.
 */
export class Personalizer {
  private readonly versions = new TemplateCache(500, 32_000_000);
  private readonly inline = new TemplateCache(200, 8_000_000);
  private readonly loading = new Map<string, Promise<TemplateParts | null>>();

  constructor(private readonly source: TemplateVersionSource) {}

  /** The compiled versions among `personalizations`, read from Postgres when not cached. */
  async load(personalizations: Iterable<Personalization>): Promise<LoadedVersions> {
    const loaded = new Map<string, CompiledTemplate | TemplateRenderError | null>();
    const reads: Promise<void>[] = [];
    for (const { template } of personalizations) {
      if (!template) continue;
      const key = versionKey(template.id, template.version);
      if (loaded.has(key)) continue;
      const hit = this.versions.peek(key);
      if (hit) {
        loaded.set(key, hit);
        continue;
      }
      loaded.set(key, null);
      // Concurrent rounds of one campaign wait for the same read.
      let reading = this.loading.get(key);
      if (!reading) {
        reading = this.source(template.id, template.version).finally(() => this.loading.delete(key));
        this.loading.set(key, reading);
      }
      reads.push(reading.then((parts) => void loaded.set(key, parts && this.compile(key, parts))));
    }
    await Promise.all(reads);
    return loaded;
  }

  /**
   * The email with its placeholders filled, from the versions `load` returned; throws TemplateRenderError (the
   * email ends INCOMPLETE).
   */
  renderLoaded(email: OutgoingEmail, personalization: Personalization, loaded: LoadedVersions): OutgoingEmail {
    const rendered = this.compiled(email, personalization, loaded).render(personalization.variables);
    return { ...email, subject: rendered.subject, html: rendered.html, text: rendered.text ?? '' };
  }

  private compile(key: string, parts: TemplateParts): CompiledTemplate | TemplateRenderError {
    try {
      return this.versions.get(key, () => parts);
    } catch (error) {
      if (error instanceof TemplateRenderError) return error;
      throw error;
    }
  }

  private compiled(email: OutgoingEmail, { template }: Personalization, loaded: LoadedVersions): CompiledTemplate {
    if (!template)
      return this.inline.get(
        `${email.subject}\u0000${email.html ?? ''}\u0000${email.text}`,
        () => ({ subject: email.subject, html: email.html ?? null, text: email.text }),
        { textIsHtml: isHtml(email.text) },
      );
    const compiled = loaded.get(versionKey(template.id, template.version));
    if (compiled instanceof TemplateRenderError) throw compiled;
    if (!compiled)
      throw new TemplateRenderError(`template ${template.id} has no version ${template.version}`, 'subject');
    return compiled;
  }
}

/** Template versions read from Postgres (the gateway's templates module writes them). */
export function templateVersionsFrom(pool: Pool): TemplateVersionSource {
  return async (templateId, version) => {
    const { rows } = await pool.query<TemplateParts>({
      name: 'sender-template-version',
      text: `SELECT "subject", "html", "text" FROM "TemplateVersion" WHERE "templateId" = $1 AND "version" = $2`,
      values: [templateId, version],
    });
    return rows[0] ?? null;
  };
}

export const personalizerProvider = {
  provide: Personalizer,
  useFactory: (pool: Pool) => new Personalizer(templateVersionsFrom(pool)),
  inject: [PG_POOL],
};
