import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { AccountsService } from '../admin/accounts.service';
import { AdminGuard } from '../auth/admin.guard';
import { keyId } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyView } from './dto/api-key.view';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { NewApiKeyView } from './dto/new-api-key.view';
import { RegenerateApiKeyDto } from './dto/regenerate-api-key.dto';
import { RevokeApiKeyDto } from './dto/revoke-api-key.dto';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });

/** The same lifecycle as /api-keys, for the support team, on any account. */
@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponses(400, 401, 503)
@UseGuards(AdminGuard)
@Controller('admin/accounts/:accountId/api-keys')
export class ApiKeysAdminController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly accounts: AccountsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'An account’s API keys' })
  @ApiEnvelopeResponse([ApiKeyView])
  @ApiErrorResponses(404)
  async list(@Param('accountId', accountId()) account: string): Promise<ApiKeyView[]> {
    await this.accounts.requireAccount(account);
    return this.keys.list(account);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key for an operator (created if new); the secret is shown once' })
  @ApiEnvelopeResponse(NewApiKeyView, { status: 201 })
  @ApiErrorResponses(404)
  async create(@Param('accountId', accountId()) account: string, @Body() dto: CreateApiKeyDto): Promise<NewApiKeyView> {
    await this.accounts.requireAccount(account);
    return this.keys.create(account, dto);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke an API key (the account’s last usable key needs `force`)' })
  @ApiEnvelopeResponse(ApiKeyView)
  @ApiErrorResponses(404)
  @ApiErrorResponses(409)
  revoke(
    @Param('accountId', accountId()) account: string,
    @Param('id', keyId()) id: string,
    @Body() dto: RevokeApiKeyDto,
  ): Promise<ApiKeyView> {
    return this.keys.revoke(account, id, dto?.force);
  }

  @Post(':id/regenerate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Replace an API key by a new secret; the old key is revoked at once' })
  @ApiEnvelopeResponse(NewApiKeyView)
  @ApiErrorResponses(404)
  @ApiErrorResponses(409)
  regenerate(
    @Param('accountId', accountId()) account: string,
    @Param('id', keyId()) id: string,
    @Body() dto: RegenerateApiKeyDto,
  ): Promise<NewApiKeyView> {
    return this.keys.regenerate(account, id, dto?.expiresAt);
  }
}
