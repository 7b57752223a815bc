import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../auth/admin.guard';
import { ListParkedQuery } from './dto/list-parked.query';
import { ParkedReceiptsService } from './parked-receipts.service';

/** Operators' view of SES events that could not be matched to an email, or contradict it (ADMIN_API_KEY). */
@UseGuards(AdminGuard)
@Controller('ses/parked')
export class ParkedReceiptsController {
  constructor(private readonly parked: ParkedReceiptsService) {}

  @Get()
  list(@Query() query: ListParkedQuery) {
    return this.parked.list(query.limit, query.cursor);
  }

  @Post(':messageId/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  replay(@Param('messageId') messageId: string) {
    return this.parked.replay(messageId);
  }
}
