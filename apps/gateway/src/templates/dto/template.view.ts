import { ApiProperty } from '@nestjs/swagger';

export class TemplateVersionView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) version: number;
  @ApiProperty({ example: 'Welcome, {{firstName}}' }) subject: string;
  @ApiProperty({ type: String, nullable: true }) html: string | null;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

/** A template with its current version. */
export class TemplateView extends TemplateVersionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'welcome' }) name: string;
  @ApiProperty({ format: 'date-time', description: 'When the current version was made' }) updatedAt: string;
}

export class TemplateSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'welcome' }) name: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The current version' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class TemplateListView {
  @ApiProperty({ type: [TemplateSummaryView], description: 'Newest first' }) items: TemplateSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}

export class TemplateVersionListView {
  @ApiProperty({ type: [TemplateVersionView], description: 'Newest first' }) items: TemplateVersionView[];
}

export class RenderedTemplateView {
  @ApiProperty({ type: 'integer', minimum: 1 }) version: number;
  @ApiProperty() subject: string;
  @ApiProperty({ type: String, nullable: true }) html: string | null;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
}

export class TemplateDeletedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: [true] }) deleted: true;
}
