import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyView } from './dto/api-key.view';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { NewApiKeyView } from './dto/new-api-key.view';
import { RegenerateApiKeyDto } from './dto/regenerate-api-key.dto';
import { RevokeApiKeyDto } from './dto/revoke-api-key.dto';

export const keyId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('API key') });

@ApiTags('api-keys')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'The account’s API keys: prefix, name, operator, status, created, last used, expiry' })
  @ApiEnvelopeResponse([ApiKeyView])
  list(@CurrentCaller() caller: Caller): Promise<ApiKeyView[]> {
    return this.keys.list(caller.accountId);
  }

  @Post()
  @ApiOperation({ summary: 'Create an API key (its secret is shown once)' })
  @ApiEnvelopeResponse(NewApiKeyView, { status: 201 })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateApiKeyDto): Promise<NewApiKeyView> {
    return this.keys.create(caller.accountId, dto);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Revoke an API key',
    description: 'Fails on every gateway replica within a second. The account’s last usable key needs `force`.',
  })
  @ApiEnvelopeResponse(ApiKeyView)
  @ApiErrorResponses(404)
  @ApiErrorResponses(409)
  revoke(
    @CurrentCaller() caller: Caller,
    @Param('id', keyId()) id: string,
    @Body() dto: RevokeApiKeyDto,
  ): Promise<ApiKeyView> {
    return this.keys.revoke(caller.accountId, id, dto?.force);
  }

  @Post(':id/regenerate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replace an API key by a new secret',
    description: 'Same name and operator; the old key is revoked at once. The new secret is shown once.',
  })
  @ApiEnvelopeResponse(NewApiKeyView)
  @ApiErrorResponses(404)
  @ApiErrorResponses(409)
  regenerate(
    @CurrentCaller() caller: Caller,
    @Param('id', keyId()) id: string,
    @Body() dto: RegenerateApiKeyDto,
  ): Promise<NewApiKeyView> {
    return this.keys.regenerate(caller.accountId, id, dto?.expiresAt);
  }
}
