# FlowTrace image: the API + dashboard (`npm start`) or a worker (`npm run worker`).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY server/package.json server/package.json
COPY client/package.json client/package.json
COPY packages/contract/package.json packages/contract/package.json
COPY scripts scripts
COPY prisma prisma
COPY prisma.config.ts ./
# Dev dependencies are needed at runtime for tsx and the dashboard build. The sources are not here
# yet, so the install only generates code; the dashboard and the embedded database's template
# cluster are prepared after the copy.
RUN FLOWTRACE_SKIP_PREPARE=1 npm ci --include=dev
COPY . .
RUN npm run build && node scripts/postinstall.mjs
USER node
EXPOSE 3000
CMD ["npm", "start"]
