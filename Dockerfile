# syntax=docker/dockerfile:1
#
# One Dockerfile for both Sequencer services. Pick the image with a build target or the APP arg:
#
#   docker build --target api    -t sequencer-api .
#   docker build --target worker -t sequencer-worker .
#   docker build --build-arg APP=worker -t sequencer-worker .   # same as --target worker
#
# Needs BuildKit (the default builder since Docker Engine 23 and in `docker compose`).

# Which runtime stage the default (last) stage is: api or worker.
ARG APP=api

# ---- build: compile api and worker (and the modules they depend on) -------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Everything, not just the poms first: `mvn dependency:go-offline` does not resolve the reactor's
# own modules reliably, so a "poms only" layer would not cache much. The Maven repository is a
# BuildKit cache mount instead, which survives source changes (and is locked, so parallel api and
# worker builds do not write it at the same time).
COPY . .
# -DskipTests still compiles the tests (store's test-jar is a dependency of api); spotless is
# skipped because reformatting sources inside a throwaway build container serves no purpose.
RUN --mount=type=cache,target=/root/.m2/repository,sharing=locked \
    mvn -B -q -DskipTests -Dspotless.skip=true package -pl api,worker -am \
 && mkdir -p /out \
 && cp api/target/sequencer-api-*-exec.jar /out/api.jar \
 && cp worker/target/sequencer-worker-*-exec.jar /out/worker.jar

# ---- runtime base: JRE only, unprivileged user ----------------------------------------------
FROM eclipse-temurin:17-jre AS runtime
RUN groupadd --system --gid 10001 sequencer \
 && useradd --system --uid 10001 --gid sequencer --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin sequencer
WORKDIR /app
USER sequencer:sequencer
# Extra JVM flags can be passed with JAVA_TOOL_OPTIONS. The image has curl and wget (from the
# eclipse-temurin base) for health checks.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]

# ---- worker: the Temporal workers ------------------------------------------------------------
FROM runtime AS worker
COPY --from=build /out/worker.jar /app/app.jar
# Management port (WORKER_MANAGEMENT_PORT).
EXPOSE 8081

# ---- api: REST API and webhooks --------------------------------------------------------------
FROM runtime AS api
COPY --from=build /out/api.jar /app/app.jar
EXPOSE 8080

# ---- default: whichever APP names (api unless --build-arg APP=worker) ------------------------
FROM ${APP}
