# ---- build stage ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# pom.xml alone first: the dependency layer is reused until the pom changes.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/ src/
COPY sql/ sql/
# Produces target/message-logger.jar and target/lib/ (the jar's manifest Class-Path points at lib/).
RUN mvn -B -q -DskipTests package

# ---- runtime stage ----
FROM eclipse-temurin:17-jre
# curl for the compose healthcheck (not guaranteed to be in the base image).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system app \
 && useradd --system --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/message-logger.jar /app/message-logger.jar
COPY sql/ /app/sql/
# Migrations are read from the filesystem, so they can be inspected/added without rebuilding the jar.
ENV DB_MIGRATIONS=filesystem:/app/sql
# JAVA_TOOL_OPTIONS is read by the JVM itself (JAVA_OPTS would need a shell in ENTRYPOINT).
# Size the heap from the container memory limit; exit on OOM so the orchestrator restarts us.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER app
# 5000 HTTP API, 5001 WebSocket feed, 9876 management (health, metrics)
EXPOSE 5000 5001 9876
ENTRYPOINT ["java", "-jar", "/app/message-logger.jar"]
