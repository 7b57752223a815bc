import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { PG_POOL, PrismaService } from '@postline/database';
import { ApiError, ErrorCode } from '@postline/http';
import { checkTemplateSyntax, TemplateCache, type TemplateParts, TemplateRenderError } from '@postline/templates';
import type { Pool } from 'pg';
import { decodeCursor, encodeCursor } from '../emails/cursor';
import type { CreateTemplateDto } from './dto/create-template.dto';
import type { ListTemplatesQuery } from './dto/list-templates.query';
import type { RenderTemplateDto } from './dto/render-template.dto';
import type {
  RenderedTemplateView,
  TemplateListView,
  TemplateVersionListView,
  TemplateVersionView,
  TemplateView,
} from './dto/template.view';
import type { UpdateTemplateDto } from './dto/update-template.dto';

/** A template an email names, and the version it will be rendered with (recorded on the email). */
export interface TemplateRef {
  templateId: string;
  templateVersion?: number;
}

export interface ResolvedTemplate {
  templateId: string;
  version: number;
  subject: string;
}

/** A reference that names no live template of the account, or a version it does not have. */
export interface UnresolvedTemplate {
  field: 'templateId' | 'templateVersion';
  message: string;
}

interface VersionRow {
  version: number;
  subject: string;
  html: string | null;
  text: string | null;
  createdAt: Date;
}

const notFound = (field: string, message: string) =>
  new ApiError(HttpStatus.NOT_FOUND, ErrorCode.NotFound, 'Template not found', [{ field, message }]);

/**
 * The owner of Template and TemplateVersion: templates per account, each change a new immutable version.
 * Another account's template is "not found" (404), and so is a deleted one: deleted templates stay in the
 * database only for the emails accepted with them.
 */
@Injectable()
export class TemplatesService {
  // Previews compile each version once, as the sender does.
  private readonly compiled = new TemplateCache(200);

  constructor(
    private readonly prisma: PrismaService,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async create(accountId: string, dto: CreateTemplateDto): Promise<TemplateView> {
    const parts = checkedParts(dto.subject, dto.html ?? null, dto.text ?? null);
    const id = randomUUID();
    const now = new Date();
    await this.prisma.template.create({
      data: {
        id,
        accountId,
        name: dto.name,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
        versions: { create: { version: 1, ...parts, createdAt: now } },
      },
    });
    return this.get(accountId, id);
  }

  async list(accountId: string, query: ListTemplatesQuery): Promise<TemplateListView> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.prisma.template.findMany({
      where: {
        accountId,
        deletedAt: null,
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((t) => ({
        id: t.id,
        name: t.name,
        version: t.currentVersion,
        createdAt: t.createdAt.toISOString(),
        updatedAt: t.updatedAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async get(accountId: string, id: string): Promise<TemplateView> {
    const template = await this.prisma.template.findFirst({ where: { id, accountId, deletedAt: null } });
    if (!template) throw ApiError.notFound('Template');
    const version = await this.prisma.templateVersion.findUniqueOrThrow({
      where: { templateId_version: { templateId: id, version: template.currentVersion } },
    });
    return {
      id,
      name: template.name,
      ...versionView(version),
      updatedAt: template.updatedAt.toISOString(),
    };
  }

  /** A new version when subject, html or text changes (a rename alone keeps the version). */
  async update(accountId: string, id: string, dto: UpdateTemplateDto): Promise<TemplateView> {
    await this.prisma.$transaction(async (tx) => {
      const [template] = await tx.$queryRaw<{ currentVersion: number }[]>`
        SELECT "currentVersion" FROM "Template" WHERE "id" = ${id}::uuid AND "accountId" = ${accountId}::uuid
          AND "deletedAt" IS NULL FOR UPDATE`;
      if (!template) throw ApiError.notFound('Template');
      const current = await tx.templateVersion.findUniqueOrThrow({
        where: { templateId_version: { templateId: id, version: template.currentVersion } },
      });
      const parts = checkedParts(
        dto.subject ?? current.subject,
        dto.html === undefined ? current.html : dto.html,
        dto.text === undefined ? current.text : dto.text,
      );
      const changed = parts.subject !== current.subject || parts.html !== current.html || parts.text !== current.text;
      const now = new Date();
      const version = changed ? template.currentVersion + 1 : template.currentVersion;
      if (changed) await tx.templateVersion.create({ data: { templateId: id, version, ...parts, createdAt: now } });
      await tx.template.update({
        where: { id },
        data: {
          ...(dto.name ? { name: dto.name } : {}),
          currentVersion: version,
          ...(changed ? { updatedAt: now } : {}),
        },
      });
    });
    return this.get(accountId, id);
  }

  async remove(accountId: string, id: string): Promise<void> {
    const { count } = await this.prisma.template.updateMany({
      where: { id, accountId, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    if (count === 0) throw ApiError.notFound('Template');
  }

  async versions(accountId: string, id: string): Promise<TemplateVersionListView> {
    await this.get(accountId, id);
    const rows = await this.prisma.templateVersion.findMany({
      where: { templateId: id },
      orderBy: { version: 'desc' },
    });
    return { items: rows.map(versionView) };
  }

  async version(accountId: string, id: string, version: number): Promise<TemplateVersionView> {
    await this.get(accountId, id);
    const row = await this.prisma.templateVersion.findUnique({
      where: { templateId_version: { templateId: id, version } },
    });
    if (!row) throw notFound('version', `template ${id} has no version ${version}`);
    return versionView(row);
  }

  async render(accountId: string, id: string, dto: RenderTemplateDto): Promise<RenderedTemplateView> {
    const template = await this.get(accountId, id);
    const row =
      dto.version && dto.version !== template.version ? await this.version(accountId, id, dto.version) : template;
    const parts: TemplateParts = { subject: row.subject, html: row.html, text: row.text };
    try {
      return {
        version: row.version,
        ...this.compiled.get(`${id}:${row.version}`, () => parts).render(dto.variables ?? {}),
      };
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      throw ApiError.validation([
        { field: error.variable ? `variables.${error.variable}` : error.part, message: error.message },
      ]);
    }
  }

  /**
   * The version each reference will be sent with (the current one unless it names one), with its subject, or
   * why it cannot be; one query for a whole batch.
   */
  async resolve(
    accountId: string,
    refs: readonly TemplateRef[],
  ): Promise<Map<string, ResolvedTemplate | UnresolvedTemplate>> {
    const keys = new Map<string, TemplateRef>();
    for (const ref of refs) keys.set(refKey(ref), ref);
    if (keys.size === 0) return new Map();
    const wanted = [...keys.values()];
    const { rows } = await this.pool.query<{ key: string; version: number | null; subject: string | null }>(
      `SELECT q."key", v."version", v."subject"
       FROM unnest($2::text[], $3::uuid[], $4::int[]) AS q("key", "templateId", "version")
       JOIN "Template" t ON t."id" = q."templateId" AND t."accountId" = $1::uuid AND t."deletedAt" IS NULL
       LEFT JOIN "TemplateVersion" v ON v."templateId" = t."id" AND v."version" = COALESCE(q."version", t."currentVersion")`,
      [accountId, wanted.map(refKey), wanted.map((r) => r.templateId), wanted.map((r) => r.templateVersion ?? null)],
    );
    const found = new Map(rows.map((r) => [r.key, r]));
    const resolved = new Map<string, ResolvedTemplate | UnresolvedTemplate>();
    for (const [key, ref] of keys) {
      const row = found.get(key);
      if (!row) {
        resolved.set(key, { field: 'templateId', message: `template ${ref.templateId} not found` });
      } else if (row.version === null || row.subject === null) {
        const message = `template ${ref.templateId} has no version ${ref.templateVersion}`;
        resolved.set(key, { field: 'templateVersion', message });
      } else {
        resolved.set(key, { templateId: ref.templateId, version: row.version, subject: row.subject });
      }
    }
    return resolved;
  }
}

export function refKey(ref: TemplateRef): string {
  return `${ref.templateId}:${ref.templateVersion ?? ''}`;
}

function checkedParts(subject: string, html: string | null, text: string | null): TemplateParts {
  if (html === null && text === null) {
    throw ApiError.validation([{ field: 'html', message: 'html or text is required' }]);
  }
  const parts = { subject, html, text };
  try {
    checkTemplateSyntax(parts);
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    throw ApiError.validation([{ field: error.part, message: error.message }]);
  }
  return parts;
}

function versionView(row: VersionRow): TemplateVersionView {
  return {
    version: row.version,
    subject: row.subject,
    html: row.html,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
  };
}
