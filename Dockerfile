# Build stage: every dependency, then `npm run build` (esbuild bundles each entry point; see
# scripts/build.js). Nothing of this stage but the compiled output reaches the runtime image.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
COPY migrations ./migrations
COPY scripts ./scripts
COPY tsconfig.base.json tsconfig.json ./
RUN npm install --no-audit --no-fund --loglevel=error && npm run build
# The workspace manifests alone, with their paths, for the runtime stage's install.
RUN mkdir -p /manifests && cp --parents apps/*/package.json packages/*/package.json /manifests/

# Runtime stage: production dependencies and the compiled output only, run by a non-root user.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY --from=build /manifests/ ./
RUN npm install --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=build /app/apps/ingest/dist ./apps/ingest/dist
COPY --from=build /app/apps/worker/dist ./apps/worker/dist
COPY --from=build /app/apps/cli/dist ./apps/cli/dist
COPY --from=build /app/scripts/dist ./scripts/dist
COPY scripts/start.js ./scripts/start.js
# Static files the API and dashboard serve (found through their packages at run time).
COPY packages/admin/public ./packages/admin/public
COPY packages/api/docs-page ./packages/api/docs-page
USER node
EXPOSE 3000
# Ready means Postgres and Redis answer (GET /readyz); the worker's compose service overrides this.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 3000}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["npm", "run", "start:ingest"]
