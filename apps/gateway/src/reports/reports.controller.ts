import { Controller, Get, Param, Query, Req, Res, type Type, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { ApiError, ApiErrorResponses, envelopeSchema, MetaDoc, meta, RawResponse } from '@postline/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { AccountSummaryView } from './dto/account-summary.view';
import { CampaignListView } from './dto/campaign-list.view';
import { CampaignReportQuery } from './dto/campaign-report.query';
import { CampaignReportView } from './dto/campaign-report.view';
import { ListCampaignsQuery } from './dto/list-campaigns.query';
import { SummaryQuery } from './dto/summary.query';
import { csvFileName, prefersCsv, toCsv } from './report-csv';
import { CAMPAIGN_LIST_COLUMNS, SERIES_COLUMNS, SUMMARY_COLUMNS } from './report-csv-columns';
import { describeRate, RATE_NAMES } from './report-rates';
import { ReportsService } from './reports.service';

const RATES_TEXT = RATE_NAMES.map((r) => `\`${r}\` = ${describeRate(r)}`).join(' ');
const CSV_TEXT = 'With `Accept: text/csv` the answer is CSV (RFC 4180, header line) instead of the JSON envelope.';

/** The JSON envelope of `model`, or CSV text. */
const jsonOrCsv = (model: Type<unknown>, csv: string) =>
  ApiOkResponse({
    description: `JSON: { meta, data }. CSV: ${csv}`,
    content: {
      'application/json': { schema: envelopeSchema(model) },
      'text/csv': { schema: { type: 'string' } },
    },
  });

/**
 * Reports read counters, not emails (a tag filter excepted: tag-report.ts). Each answers JSON in the usual
 * envelope, or CSV when the client asks for it; the envelope is therefore built here (RawResponse) rather than
 * by the interceptor.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@ApiExtraModels(MetaDoc, CampaignListView, CampaignReportView, AccountSummaryView)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('campaigns')
  @RawResponse()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: "The account's campaigns, newest activity first",
    description: `A campaign is the emails of the account sharing an externalId. Pass \`nextCursor\` as \`cursor\` for the next page (in CSV it is the \`x-next-cursor\` header); a campaign that becomes active while you page moves to the first page, and later pages no longer show it. ${CSV_TEXT} Rates: ${RATES_TEXT}`,
  })
  @jsonOrCsv(CampaignListView, 'one line per campaign with its counts and rates.')
  async campaigns(
    @CurrentCaller() caller: Caller,
    @Query() query: ListCampaignsQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const page = await this.reports.listCampaigns(caller.accountId, query.limit, query.cursor);
    if (!prefersCsv(req.headers.accept)) return json(req, reply, page);
    if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
    return csv(reply, csvFileName('campaigns'), toCsv(CAMPAIGN_LIST_COLUMNS, page.items));
  }

  @Get('campaigns/:externalId')
  @RawResponse()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'One campaign: counts, rates and time series',
    description:
      'Counts are unique emails per milestone (an email counts once however many events say so), plus every open and click. ' +
      `The series puts each milestone in the UTC hour or day it happened. ${CSV_TEXT} Rates: ${RATES_TEXT}`,
  })
  @jsonOrCsv(CampaignReportView, 'one line per bucket of the series.')
  @ApiParam({ name: 'externalId', schema: { type: 'string', minLength: 1, maxLength: 255 } })
  @ApiErrorResponses(404)
  async campaign(
    @CurrentCaller() caller: Caller,
    @Param('externalId') externalId: string,
    @Query() query: CampaignReportQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (externalId.length > 255) throw ApiError.notFound('Campaign');
    const report = await this.reports.campaign(caller.accountId, externalId, query);
    if (!prefersCsv(req.headers.accept)) return json(req, reply, report);
    return csv(
      reply,
      csvFileName('campaign', externalId, report.series.granularity),
      toCsv(SERIES_COLUMNS, report.series.points),
    );
  }

  @Get('summary')
  @RawResponse()
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({
    summary: 'The account by UTC day, all its emails (with or without an externalId)',
    description: `Days from \`from\` through \`to\`, both inclusive. ${CSV_TEXT} Rates (of the totals): ${RATES_TEXT}`,
  })
  @jsonOrCsv(AccountSummaryView, 'one line per day.')
  async summary(
    @CurrentCaller() caller: Caller,
    @Query() query: SummaryQuery,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const summary = await this.reports.summary(caller.accountId, query);
    if (!prefersCsv(req.headers.accept)) return json(req, reply, summary);
    return csv(reply, csvFileName('summary', summary.from, summary.to), toCsv(SUMMARY_COLUMNS, summary.days));
  }
}

function json<T>(req: FastifyRequest, reply: FastifyReply, data: T): { meta: ReturnType<typeof meta>; data: T } {
  void reply.header('vary', 'Accept');
  return { meta: meta(req.id), data };
}

function csv(reply: FastifyReply, fileName: string, body: string): string {
  void reply
    .header('vary', 'Accept')
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`);
  return body;
}
