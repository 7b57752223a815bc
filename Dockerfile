# One image for every Postline app; the command chooses the app (see docker-compose.yml, deploy/kubernetes):
#   node dist/apps/<gateway|events|sender|reputation|webhooks>/main.js · node dist/tools/ses-simulator/main.js
#   npx prisma migrate deploy
# The build stage runs exactly what CI runs (.ci/run): npm ci, npm run build, npm prune --omit=dev. The build
# includes the web console's static files (dist/apps/console), which the gateway serves at /console/.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall generates the Prisma client (libs/database/src/generated), which the build copies into dist/.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
# tini is PID 1: it passes SIGTERM on to node, which drains its work, and reaps orphans.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /var/lib/postline/sns && chown -R node:node /var/lib/postline
WORKDIR /app
# Every app listens on PORT inside its container; the health check and the manifests rely on it.
ENV NODE_ENV=production PORT=3000
COPY --from=build /app/package.json /app/package-lock.json /app/prisma.config.ts ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", \
  "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/gateway/main.js"]
