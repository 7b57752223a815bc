import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { CreateTemplateDto } from './dto/create-template.dto';
import { ListTemplatesQuery } from './dto/list-templates.query';
import { RenderTemplateDto } from './dto/render-template.dto';
import {
  RenderedTemplateView,
  TemplateDeletedView,
  TemplateListView,
  TemplateVersionListView,
  TemplateVersionView,
  TemplateView,
} from './dto/template.view';
import { UpdateTemplateDto } from './dto/update-template.dto';
import { TemplatesService } from './templates.service';

// An id that is not a UUID names no template: 404, as for another account's.
const UuidParam = new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Template') });
const VersionParam = new ParseIntPipe({
  exceptionFactory: () => ApiError.validation([{ field: 'version', message: 'version must be an integer' }]),
});
const ID_PARAM = { name: 'id', schema: { type: 'string' as const, format: 'uuid' } };

@ApiTags('templates')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a template (version 1); subject, html and text use Handlebars `{{placeholders}}`' })
  @ApiEnvelopeResponse(TemplateView, { status: 201 })
  @ApiErrorResponses(413)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateTemplateDto): Promise<TemplateView> {
    return this.templates.create(caller.accountId, dto);
  }

  @Get()
  @ApiOperation({ summary: "The account's templates, newest first" })
  @ApiEnvelopeResponse(TemplateListView)
  list(@CurrentCaller() caller: Caller, @Query() query: ListTemplatesQuery): Promise<TemplateListView> {
    return this.templates.list(caller.accountId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A template with its current version' })
  @ApiParam(ID_PARAM)
  @ApiEnvelopeResponse(TemplateView)
  @ApiErrorResponses(404)
  get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<TemplateView> {
    return this.templates.get(caller.accountId, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a template: a new subject, html or text makes a new immutable version (a rename does not)',
  })
  @ApiParam(ID_PARAM)
  @ApiEnvelopeResponse(TemplateView)
  @ApiErrorResponses(404, 413)
  update(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateTemplateDto,
  ): Promise<TemplateView> {
    return this.templates.update(caller.accountId, id, dto);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a template: new emails can no longer use it; emails already accepted still send' })
  @ApiParam(ID_PARAM)
  @ApiEnvelopeResponse(TemplateDeletedView)
  @ApiErrorResponses(404)
  async remove(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<TemplateDeletedView> {
    await this.templates.remove(caller.accountId, id);
    return { id, deleted: true };
  }

  @Get(':id/versions')
  @ApiOperation({ summary: 'Every version of a template, newest first' })
  @ApiParam(ID_PARAM)
  @ApiEnvelopeResponse(TemplateVersionListView)
  @ApiErrorResponses(404)
  versions(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<TemplateVersionListView> {
    return this.templates.versions(caller.accountId, id);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ summary: 'One version of a template' })
  @ApiParam(ID_PARAM)
  @ApiParam({ name: 'version', schema: { type: 'integer', minimum: 1 } })
  @ApiEnvelopeResponse(TemplateVersionView)
  @ApiErrorResponses(404)
  version(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('version', VersionParam) version: number,
  ): Promise<TemplateVersionView> {
    return this.templates.version(caller.accountId, id, version);
  }

  @Post(':id/render')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Preview a template with variables; a missing variable is a 400 naming it (`variables.<name>`)',
  })
  @ApiParam(ID_PARAM)
  @ApiEnvelopeResponse(RenderedTemplateView)
  @ApiErrorResponses(404)
  render(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: RenderTemplateDto,
  ): Promise<RenderedTemplateView> {
    return this.templates.render(caller.accountId, id, dto);
  }
}
