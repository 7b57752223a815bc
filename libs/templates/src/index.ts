export * from './template-renderer';
