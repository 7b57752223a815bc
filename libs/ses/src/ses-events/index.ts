export * from './map-ses-event';
export * from './parse-ses-event';
export * from './ses-event-proof';
export * from './ses-event-record';
