# Build stage: compile and package target/ringback.jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B -q package -DskipTests

# Runtime stage: a slim Java 17 runtime, running as a non-root user.
FROM eclipse-temurin:17-jre
# tini as process 1 reaps orphans: a dead embedded PostgreSQL left unreaped blocks its restart.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
RUN groupadd --system ringback && useradd --system --gid ringback --home-dir /app ringback
WORKDIR /app
COPY --from=build /src/target/ringback.jar /app/ringback.jar
COPY config /app/config
RUN mkdir -p /app/data && chown -R ringback:ringback /app/data
USER ringback
EXPOSE 8080
# Mount your own configuration over /app/config; the embedded database keeps its files in /app/data.
VOLUME ["/app/data"]
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/ringback.jar"]
CMD ["--config", "/app/config/ringback.yaml"]
