export * from './address';
export * from './assert-unreachable';
export * from './email-status';
export * from './milestones';
export * from './queues';
export * from './webhook-events';
