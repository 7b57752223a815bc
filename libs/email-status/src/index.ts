export * from './campaign-counters';
export * from './email-intake.service';
export * from './email-row';
export * from './email-status.module';
export * from './reputation';
export * from './status-event';
export * from './status-recorder.service';
export * from './webhook-deliveries';
