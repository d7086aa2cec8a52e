# Base images are pinned to exact releases (Maven 3.9.9 on Temurin 17; the Temurin 17.0.13+11 JRE
# on Ubuntu 24.04): a rebuild gets the same Java. Raise them together, on purpose.

# Build stage: compile and package target/ringback.jar.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B -q package -DskipTests

# Runtime stage: a slim Java 17 runtime, running as a non-root user with a fixed id (10001), so
# that Kubernetes' runAsNonRoot can check it and volumes can be given to it.
FROM eclipse-temurin:17.0.13_11-jre-noble
# tini as process 1 reaps orphans: a dead embedded PostgreSQL left unreaped blocks its restart.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 ringback \
 && useradd --system --uid 10001 --gid ringback --home-dir /app --no-create-home ringback
WORKDIR /app
COPY --from=build /src/target/ringback.jar /app/ringback.jar
COPY config /app/config
COPY deploy/docker/healthcheck /usr/local/bin/ringback-healthcheck
RUN mkdir -p /app/data && chown -R ringback:ringback /app/data
USER 10001:10001
EXPOSE 8080
# Mount your own configuration over /app/config; the embedded database keeps its files in /app/data.
VOLUME ["/app/data"]
# /health on the management port (RINGBACK_MANAGEMENT_PORT) or the HTTP port. The first start on
# the embedded database initialises it, hence the long start period.
HEALTHCHECK --interval=10s --timeout=6s --start-period=90s --retries=3 CMD ["/usr/local/bin/ringback-healthcheck"]
# Exec form: tini is process 1 and java its child; tini passes SIGTERM (docker stop, Kubernetes)
# on to java, whose shutdown stops taking requests and lets calls in progress finish.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ringback.jar"]
CMD ["--config", "/app/config/ringback.yaml"]
