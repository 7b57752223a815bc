import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface Meta {
  timestamp: number;
  transactionId: string;
}

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetail[];
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify `genReqId`: honour a sane incoming x-request-id, else a new UUID (the transactionId of the request). */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && /^[\w.:-]{8,128}$/.test(incoming) ? incoming : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

export function meta(transactionId: string): Meta {
  return { timestamp: Date.now(), transactionId };
}
