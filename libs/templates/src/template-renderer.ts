import Handlebars from 'handlebars';
import { LRUCache } from 'lru-cache';

/** The parts of a message that may hold placeholders. */
export interface TemplateParts {
  subject: string;
  html: string | null;
  text: string | null;
}

export type TemplatePart = keyof TemplateParts;

/** How each part is escaped: HTML parts escape `{{var}}` (`{{{var}}}` opts out); subject and plain text do not. */
export interface PartEscaping {
  textIsHtml?: boolean;
}

export interface RenderedParts {
  subject: string;
  html: string | null;
  text: string | null;
}

/** A template that cannot be compiled, or variables that cannot fill it; `variable` names the missing one. */
export class TemplateRenderError extends Error {
  constructor(
    message: string,
    readonly part: TemplatePart,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

// A sandboxed Handlebars environment: the built-in block helpers, no partials, no `log` (it would print
// whatever a template asks to the process's console). Prototype access is off by default since 4.6.
const handlebars = Handlebars.create();
handlebars.unregisterHelper('log');

type Compiled = (variables: Record<string, unknown>) => string;

/** The path at line:column of `source` (Handlebars names only the last segment of a missing path). */
function pathAt(source: string, line: number, column: number): string | undefined {
  const lines = source.split('\n');
  const rest = lines[line - 1]?.slice(column) ?? '';
  return /^(?:\{\{\{?[~&]?\s*)?([^\s}~()]+)/.exec(rest)?.[1];
}

function describe(error: unknown, part: TemplatePart, source: string): TemplateRenderError {
  const message = (error as Error).message ?? String(error);
  const missing = /^"([^"]+)" not defined in/.exec(message);
  const { lineNumber, column } = error as { lineNumber?: number; column?: number };
  const at =
    lineNumber !== undefined && column !== undefined
      ? ` (${part}, line ${lineNumber}, column ${column + 1})`
      : ` (${part})`;
  if (missing) {
    const variable =
      (lineNumber !== undefined && column !== undefined && pathAt(source, lineNumber, column)) || missing[1];
    return new TemplateRenderError(`missing variable "${variable}"${at}`, part, variable);
  }
  return new TemplateRenderError(`template error in ${part}: ${message.split('\n')[0]}`, part);
}

function compilePart(source: string, part: TemplatePart, escape: boolean): Compiled {
  let template: HandlebarsTemplateDelegate;
  try {
    // Strict: a missing variable is an error (the email ends INCOMPLETE), never an empty string sent.
    template = handlebars.compile(source, { strict: true, noEscape: !escape });
    // Handlebars compiles lazily: parse now, so syntax errors are template errors of this part.
    handlebars.precompile(source, { strict: true });
  } catch (error) {
    throw describe(error, part, source);
  }
  return (variables) => {
    try {
      return template(variables);
    } catch (error) {
      throw describe(error, part, source);
    }
  };
}

/** A template compiled once; `render` fills it with one message's variables. */
export class CompiledTemplate {
  private readonly subject: Compiled;
  private readonly html: Compiled | null;
  private readonly text: Compiled | null;
  /** Characters of source, for the cache's bound. */
  readonly size: number;

  constructor(parts: TemplateParts, escaping: PartEscaping = {}) {
    this.size = parts.subject.length + (parts.html?.length ?? 0) + (parts.text?.length ?? 0);
    this.subject = compilePart(parts.subject, 'subject', false);
    this.html = parts.html === null ? null : compilePart(parts.html, 'html', true);
    this.text = parts.text === null ? null : compilePart(parts.text, 'text', escaping.textIsHtml === true);
  }

  /** Throws TemplateRenderError naming the first missing variable. */
  render(variables: Record<string, unknown>): RenderedParts {
    return {
      subject: this.subject(variables),
      html: this.html ? this.html(variables) : null,
      text: this.text ? this.text(variables) : null,
    };
  }
}

/** Checks a template's syntax; throws TemplateRenderError naming the part. */
export function checkTemplateSyntax(parts: TemplateParts): void {
  void new CompiledTemplate(parts);
}

/**
 * Compiled templates by key (a template version, or an inline message's own text), least recently used
 * evicted: a campaign renders one template thousands of times and compiles it once. Bounded by entries and by
 * the characters of source they hold (a compiled template keeps its text), so large templates cannot fill memory.
 */
export class TemplateCache {
  private readonly cache: LRUCache<string, CompiledTemplate>;

  constructor(
    maxEntries = 500,
    private readonly maxChars = 16_000_000,
  ) {
    this.cache = new LRUCache({
      max: maxEntries,
      maxSize: maxChars,
      sizeCalculation: (t, key) => t.size + key.length + 1,
    });
  }

  get(key: string, parts: () => TemplateParts, escaping?: PartEscaping): CompiledTemplate {
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = new CompiledTemplate(parts(), escaping);
      // One larger than the whole cache is used once, not kept.
      if (compiled.size + key.length < this.maxChars) this.cache.set(key, compiled);
    }
    return compiled;
  }

  /** The compiled template of `key` when cached. */
  peek(key: string): CompiledTemplate | undefined {
    return this.cache.get(key);
  }

  get size(): number {
    return this.cache.size;
  }
}
