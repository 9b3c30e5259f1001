FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps ./apps
COPY packages ./packages
COPY migrations ./migrations
COPY scripts ./scripts
COPY tsconfig.base.json tsconfig.json ./
RUN npm install --no-audit --no-fund --loglevel=error
ENV NODE_ENV=production
CMD ["npm", "run", "start:ingest"]
