import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpStatus,
  type OnModuleInit,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ErrorEnvelopeDoc, RawResponse } from '@postline/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { multipartFields } from './multipart-form';
import { confirmPage, donePage, notFoundPage } from './unsubscribe-page';
import { UnsubscribeService } from './unsubscribe.service';

const ONE_CLICK_FIELD = 'List-Unsubscribe';
const MAX_FORM_BYTES = 16 * 1024;

const ERROR_JSON = { 'application/json': { schema: { $ref: getSchemaPath(ErrorEnvelopeDoc) } } };
const HTML = { 'text/html': { schema: { type: 'string' as const } } };
const TOKEN = ApiParam({
  name: 'token',
  description: 'The HMAC-signed token of the link in the email',
  schema: { type: 'string', minLength: 1, maxLength: 1024 },
});
const PAGES = [
  ApiProduces('text/html'),
  ApiResponse({ status: 200, description: 'The page', content: HTML }),
  ApiResponse({ status: 404, description: 'A forged, altered or unknown token', content: HTML }),
  ApiResponse({ status: 400, description: 'A NUL character in the token or the form', content: ERROR_JSON }),
  ApiResponse({ status: 503, description: 'Postgres is unavailable; retry later', content: ERROR_JSON }),
];

/**
 * The links in every email (no API key: the HMAC-signed token is the authority). GET shows a confirmation
 * page and changes nothing; POST unsubscribes, from that page's button or as RFC 8058 one-click
 * (`List-Unsubscribe=One-Click`, urlencoded or multipart). A forged or altered token is 404.
 */
@ApiTags('unsubscribe')
@Controller('unsubscribe')
export class UnsubscribeController implements OnModuleInit {
  constructor(
    private readonly unsubscribes: UnsubscribeService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Mail providers SHOULD post one-click as multipart/form-data; only this route accepts it. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser('multipart/form-data')) return;
    fastify.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
      (request, body, done) => {
        if (!request.url.startsWith('/unsubscribe/')) {
          done(
            Object.assign(new Error(`Unsupported Media Type: ${request.headers['content-type']}`), { statusCode: 415 }),
            undefined,
          );
          return;
        }
        done(null, multipartFields(body as string, request.headers['content-type'] ?? ''));
      },
    );
  }

  @Get(':token')
  @RawResponse()
  @ApiOperation({ summary: 'The unsubscribe confirmation page (changes nothing)', security: [] })
  @TOKEN
  @applyDecorators(...PAGES)
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const target = await this.unsubscribes.find(token);
    if (!target) return this.html(reply, HttpStatus.NOT_FOUND, notFoundPage());
    return this.html(
      reply,
      HttpStatus.OK,
      target.unsubscribed ? donePage(target.to, target.from) : confirmPage(target.to, target.from),
    );
  }

  @Post(':token')
  @RawResponse()
  @ApiOperation({
    summary: 'Unsubscribe: the page’s button, or RFC 8058 one-click (`List-Unsubscribe=One-Click`)',
    security: [],
  })
  @TOKEN
  @ApiConsumes('application/x-www-form-urlencoded', 'multipart/form-data')
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } },
    },
  })
  @applyDecorators(...PAGES)
  @ApiResponse({ status: 413, description: 'The form is larger than 16 KiB', content: ERROR_JSON })
  async unsubscribe(@Param('token') token: string, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const target = await this.unsubscribes.find(token);
    if (!target) return this.html(reply, HttpStatus.NOT_FOUND, notFoundPage());
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    await this.unsubscribes.unsubscribe(target, fields[ONE_CLICK_FIELD] === 'One-Click' ? 'one-click' : 'page');
    return this.html(reply, HttpStatus.OK, donePage(target.to, target.from));
  }

  private async html(reply: FastifyReply, status: number, html: string): Promise<void> {
    await reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      // The token is in the URL: never hand it to another site.
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      )
      .send(html);
  }
}
