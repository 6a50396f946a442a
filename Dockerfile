# One image for every app of manifest.ts: `APP` (or the command the Helm chart gives) picks which
# one runs. `npm run images` builds it once per app. Runs as a non-root user on a read-only root
# file system: the app writes nothing but to /tmp (mount an emptyDir there).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: npm 11 reports this lock file (optional platform bindings) out of sync (see .ci/run).
RUN npm install --no-audit --no-fund
COPY . .
# Production dependencies only. The image has its own Node 24: drop the npm-published one the project carries for older hosts.
RUN node scripts/build.mjs && npm prune --omit=dev && rm -rf node_modules/node-linux-* node_modules/.bin/node

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 polystore \
  && useradd --system --uid 10001 --gid polystore --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin polystore \
  && mkdir /keys && chown 10001:10001 /keys
# /keys: docker-compose's jwt-keys step writes the key pair into a volume there (a new volume takes this folder's owner).
# Owned by root, readable by all: the app cannot change its own code.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
COPY package.json manifest.ts ./
ARG APP=gateway
ENV APP=${APP}
USER 10001:10001
# Liveness of the app on its HTTP port (the port variable its manifest entry names).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
CMD ["sh", "-c", "exec node --enable-source-maps --import ./dist/libs/platform/src/telemetry/register.js dist/apps/${APP}/src/main.js"]
