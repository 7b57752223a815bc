import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_COST = 'postline:rate-limit-cost';

/** How many requests one call counts for, from its body (a batch: its messages). Default 1. */
export type RateLimitCost = (body: unknown) => number;

export const CountsAs = (cost: RateLimitCost): MethodDecorator => SetMetadata(RATE_LIMIT_COST, cost);
