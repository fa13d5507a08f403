# aurion-mock as a container: `docker run -p 4010:4010 aurion-mock [flags]`.
# Plain instructions only (no BuildKit extensions), so Docker and buildah/podman build it alike.
# The base is Node 24 LTS, which CI runs every suite on; another glibc node image works too, e.g.
# `docker build --build-arg BASE=node:22-bookworm-slim -t aurion-mock .` (Alpine's musl is untested).
ARG BASE=node:24-bookworm-slim

FROM ${BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
# The build finds the package root by its scenarios/ folder.
COPY scenarios ./scenarios
COPY scripts/prebuild.mjs scripts/openapi.mjs scripts/bundle.mjs ./scripts/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE}
ENV NODE_ENV=production \
    AURION_MOCK_HOST=0.0.0.0 \
    AURION_MOCK_PORT=4010
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
# dist/server holds the OpenAPI document too: /app/dist/server/openapi.json and openapi.yaml.
COPY --from=build /src/dist/server ./dist/server
COPY scenarios ./scenarios
# A team's own scenario files are mounted here; relative --scenario paths resolve here too.
WORKDIR /scenarios
# Numeric, so Kubernetes' runAsNonRoot can verify it (uid 1000 is `node` in the official images).
USER 1000:1000
EXPOSE 4010
# No curl in the image: node asks the admin API. A short interval, because docker compose's
# service_healthy and GitHub Actions services wait for the first healthy check.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.AURION_MOCK_PORT || 4010) + '/__mock/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself (the CLI closes the server on it), and
# `docker run IMAGE --flag ...` passes flags straight to the CLI.
ENTRYPOINT ["node", "/app/dist/server/bin.js"]
CMD ["serve"]
