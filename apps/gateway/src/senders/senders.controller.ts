import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { SenderIdentitiesService } from './sender-identities.service';

@ApiTags('senders')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('senders')
export class SendersController {
  constructor(private readonly senders: SenderIdentitiesService) {}

  @Get()
  @ApiOperation({ summary: "The account's sender identities and their verification state" })
  async list(@CurrentCaller() caller: Caller) {
    return (await this.senders.list(caller.accountId)).map((s) => ({
      id: s.id,
      kind: s.kind,
      identity: s.identity,
      status: s.status,
      statusReason: s.statusReason,
      verifiedAt: s.verifiedAt?.toISOString() ?? null,
      createdAt: s.createdAt.toISOString(),
    }));
  }
}
