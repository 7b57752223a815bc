import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const CONSOLE_PREFIX = '/console/';

/**
 * Where the built console is (`vite build` into dist/apps/console): CONSOLE_DIR, else next to the built
 * gateway (dist/apps/gateway/src → dist/apps/console), else the repository's dist/ when running from source.
 */
export function consoleDir(configured?: string): string | undefined {
  const candidates = configured
    ? [resolve(configured)]
    : [join(__dirname, '../../console'), join(__dirname, '../../../dist/apps/console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

// The page talks to its own origin only; ECharts and React set inline styles, nothing runs inline script.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The web console at /console/ when it was built (npm run build); without a build the path is simply unknown
 * (404), so that the API runs the same with or without it. Asset names carry a content hash: cached for good;
 * index.html is asked for again each time, so that a new release is picked up.
 */
export function serveConsole(fastify: FastifyInstance, dir = consoleDir()): boolean {
  if (!dir) return false;
  void fastify.register(fastifyStatic, {
    root: dir,
    prefix: CONSOLE_PREFIX,
    // /console → /console/, where the page's relative asset URLs resolve.
    redirect: true,
    index: 'index.html',
    wildcard: false,
    setHeaders: (reply, path) => {
      void reply.headers({
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
    },
  });
  return true;
}
