# syntax=docker/dockerfile:1
# ScoopADive backend image. One image serves every app; pick one with the command:
#   api (default)  node dist/apps/api/apps/api/src/main.js                    (HTTP, port 3000)
#   consumer       node dist/apps/consumer/apps/consumer/src/main.js          (health on 3001)
#   fishial-fake   node dist/apps/fishial-fake/apps/fishial-fake/src/main.js  (port 3100)
#   migrations     node dist/apps/api/apps/api/src/migrate.js                 (one-shot)
# No secrets are baked in: configuration (JWT_SECRET, DATABASE_URL, ...) comes from the environment.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install all dependencies, compile the three apps, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Toolchain only in case a native module (argon2) has no prebuild for this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and compiled output only, run as the non-root node user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root, so the app cannot modify its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
