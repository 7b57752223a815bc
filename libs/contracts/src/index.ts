export * from './address';
export * from './assert-unreachable';
export * from './email-status';
export * from './milestones';
export * from './queues';
export * from './reputation';
export * from './unsubscribe-token';
export * from './webhook-events';
