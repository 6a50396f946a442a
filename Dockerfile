# One image for every app; APP picks which one runs (see docker-compose.yml).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: npm 11 reports this lock file (optional platform bindings) out of sync (see .ci/run).
RUN npm install --no-audit --no-fund
COPY . .
# The image has its own Node 24: drop the npm-published one the project carries for older hosts.
RUN node scripts/build.mjs && npm prune --omit=dev && rm -rf node_modules/node-linux-* node_modules/.bin/node

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
COPY package.json manifest.ts ./
ARG APP=gateway
ENV APP=${APP}
CMD ["sh", "-c", "exec node --enable-source-maps --import ./dist/libs/platform/src/telemetry/register.js dist/apps/${APP}/src/main.js"]
