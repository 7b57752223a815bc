import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { AdminGuard } from '../auth/admin.guard';
import { ReputationViewDoc } from './dto/reputation.view';
import { ReputationNoteDto } from './dto/reputation-note.dto';
import { ReputationAdminService } from './reputation-admin.service';
import { ReputationViewService } from './reputation-view.service';

const accountId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Account') });

@ApiTags('admin')
@ApiBearerAuth('admin')
@ApiErrorResponses(400, 401, 404, 503)
@UseGuards(AdminGuard)
@Controller('admin/accounts')
export class ReputationAdminController {
  constructor(
    private readonly views: ReputationViewService,
    private readonly admin: ReputationAdminService,
  ) {}

  @Get(':id/reputation')
  @ApiOperation({ summary: "An account's reputation: rates, counts, thresholds, state and history" })
  @ApiEnvelopeResponse(ReputationViewDoc)
  get(@Param('id', accountId()) id: string) {
    return this.views.view(id);
  }

  @Post(':id/block')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Block an account by hand (acceptable-use cases); its new emails are BLOCKED_DUE_BAD_BEHAVIOUR',
  })
  @ApiEnvelopeResponse(ReputationViewDoc)
  @ApiErrorResponses(409, 413)
  block(@Param('id', accountId()) id: string, @Body() dto: ReputationNoteDto) {
    return this.admin.block(id, dto.note, dto.operator);
  }

  @Post(':id/unblock')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Lift a block with a note; the reputation window restarts now' })
  @ApiEnvelopeResponse(ReputationViewDoc)
  @ApiErrorResponses(409, 413)
  unblock(@Param('id', accountId()) id: string, @Body() dto: ReputationNoteDto) {
    return this.admin.unblock(id, dto.note, dto.operator);
  }
}
