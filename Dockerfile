# The VizSprints Streams launcher (serve | replay | ...) on a pinned Java 17 runtime.
# Build the jars first, on the host:   mvn -q -B -DskipTests package
# (docker compose build copies query-api/target/query-api-0.1.0-SNAPSHOT.jar and query-api/target/lib/).
FROM eclipse-temurin:17.0.16_8-jre

RUN groupadd --system vizsprints \
 && useradd --system --gid vizsprints --home-dir /app --no-create-home vizsprints \
 && mkdir -p /app/lib /var/lib/vizsprints/state /var/lib/vizsprints/logs \
 && chown -R vizsprints:vizsprints /var/lib/vizsprints

# Kafka client/Streams logs (logback.xml's file; the container's console carries the application's own lines).
ENV VIZSPRINTS_LOG_FILE=/var/lib/vizsprints/logs/vizsprints.log

COPY query-api/target/lib/ /app/lib/
COPY query-api/target/query-api-0.1.0-SNAPSHOT.jar /app/query-api.jar

USER vizsprints
WORKDIR /app
EXPOSE 5000

ENTRYPOINT ["java", "-cp", "/app/query-api.jar:/app/lib/*", "com.vizsprints.streams.app.Main"]
CMD ["serve", "--bootstrap-servers", "kafka-1:9092,kafka-2:9092,kafka-3:9092", "--host", "0.0.0.0", "--port", "5000", "--state-dir", "/var/lib/vizsprints/state"]
