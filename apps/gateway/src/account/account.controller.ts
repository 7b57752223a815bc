import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Prisma, PrismaService } from '@postline/database';
import { ApiEnvelopeResponse, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { AccountPolicyService } from '../senders/account-policy.service';
import { AccountView } from './dto/account.view';
import { UpdateAccountDto } from './dto/update-account.dto';

@ApiTags('account')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('account')
export class AccountController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policies: AccountPolicyService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The calling account: name, settings, notification URL, reputation state' })
  @ApiEnvelopeResponse(AccountView)
  get(@CurrentCaller() caller: Caller) {
    return this.view(caller.accountId, caller);
  }

  @Patch()
  @ApiOperation({ summary: 'Change settings or the notification URL' })
  @ApiEnvelopeResponse(AccountView)
  @ApiErrorResponses(413)
  async update(@CurrentCaller() caller: Caller, @Body() dto: UpdateAccountDto) {
    const current = await this.prisma.account.findUniqueOrThrow({
      where: { id: caller.accountId },
      select: { settings: true },
    });
    const data: Prisma.AccountUpdateInput = {};
    if (dto.notificationUrl !== undefined) data.notificationUrl = dto.notificationUrl;
    if (dto.settings) data.settings = { ...((current.settings ?? {}) as object), ...dto.settings };
    await this.prisma.account.update({ where: { id: caller.accountId }, data });
    this.policies.forget(caller.accountId);
    return this.view(caller.accountId, caller);
  }

  private async view(accountId: string, caller: Caller): Promise<AccountView> {
    const account = await this.prisma.account.findUniqueOrThrow({ where: { id: accountId } });
    return {
      id: account.id,
      name: account.name,
      operator: caller.operatorName,
      settings: account.settings as AccountView['settings'],
      notificationUrl: account.notificationUrl,
      reputationState: account.reputationState,
      createdAt: account.createdAt.toISOString(),
    };
  }
}
