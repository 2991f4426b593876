# The VizSprints Streams launcher (serve | replay | ...) on a pinned Java 17 runtime.
# Self-contained: the first stage builds the jars from the sources, no host build needed.
#   docker build -t vizsprints-streams:0.1.0-SNAPSHOT .      (or: docker compose up --build)

# ---- build: the Maven reactor, tests skipped (they run in `mvn -B verify`, not in the image build)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . /src
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl app -am package

# ---- runtime: a JRE and the launcher's jars only
FROM eclipse-temurin:17.0.16_8-jre

RUN groupadd --system vizsprints \
 && useradd --system --gid vizsprints --home-dir /app --no-create-home vizsprints \
 && mkdir -p /app/lib /var/lib/vizsprints/state /var/lib/vizsprints/logs \
 && chown -R vizsprints:vizsprints /var/lib/vizsprints

# Kafka client/Streams logs (logback.xml's file; the container's console carries the application's own lines).
ENV VIZSPRINTS_LOG_FILE=/var/lib/vizsprints/logs/vizsprints.log

COPY --from=build /src/app/target/lib/ /app/lib/
COPY --from=build /src/app/target/app-0.1.0-SNAPSHOT.jar /app/app.jar

USER vizsprints
WORKDIR /app
# 5000: the public API (dashboards, /metrics, probes). 5100: the peer port (other instances only; do not publish).
EXPOSE 5000 5100

# Ready = stream processing RUNNING and every partition queryable (GET /readyz answers 200).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5000 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Container JVM flags: the heap follows the container's memory limit; an OutOfMemoryError ends the
# process (the supervisor restarts it) instead of leaving a half-working JVM. More options: JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseG1GC", \
            "-cp", "/app/app.jar:/app/lib/*", "com.vizsprints.streams.app.Main"]
CMD ["serve", "--bootstrap-servers", "kafka-1:9092,kafka-2:9092,kafka-3:9092", "--host", "0.0.0.0", "--port", "5000", \
     "--peer-port", "5100", "--state-dir", "/var/lib/vizsprints/state"]
