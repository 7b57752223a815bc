import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { ReputationViewDoc } from './dto/reputation.view';
import { ReputationViewService } from './reputation-view.service';

@ApiTags('reputation')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('reputation')
export class ReputationController {
  constructor(private readonly views: ReputationViewService) {}

  @Get()
  @ApiOperation({
    summary: 'Bounce and complaint rates over the rolling window, counts, thresholds, state and its history',
  })
  @ApiEnvelopeResponse(ReputationViewDoc)
  get(@CurrentCaller() caller: Caller) {
    return this.views.view(caller.accountId);
  }
}
