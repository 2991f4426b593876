package com.vizsprints.streams.app;

import com.vizsprints.streams.app.broker.BrokerCommand;
import com.vizsprints.streams.replay.ReplayApp;

import java.io.PrintStream;
import java.util.Arrays;

/** The {@code vizsprints} launcher: one entry point, one subcommand per role. */
public final class Main {
    static final String USAGE = """
            usage: vizsprints <command> [flags]
              demo   [--data DIR] [--port 5000] [--partitions 3]
                     embedded broker + processor + API + replay of DIR (default: the sample data)
              broker [--port 9092] [--dir D] [--transaction-version 1|2]
                     a standalone embedded KRaft broker
              cluster [--brokers 3] [--instances 2] [--base-port 19092] [--http-port 5000] [--dir D] [--data DIR]
                     local 3-broker KRaft cluster + app instances + replay, as child processes
              serve  --bootstrap-servers B [--port 5000] [--host 127.0.0.1] [--state-dir D]
                     [--application-id ID] [--processing-guarantee exactly_once_v2|at_least_once]
                     [--standby-replicas N] [--partitions N] [--replication-factor R]
                     [--api-token T] [--cors-origins O1,O2]
                     the processor and the query API against any Kafka
              bench  [--users 10000,100000] [--runs 3,1] [--clients 50] [--query-seconds 20] [--probes 300]
                     [--steady-rate 2000] [--app-heap 1g] [--app-java-opts "..."] [--out BENCHMARKS.md]
                     measures replay, processing, queries, freshness and memory; writes BENCHMARKS.md
              replay --bootstrap-servers B --users F --events F [--partitions N] [--replication-factor R]
                     publish CSV files into the input topics
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest, out);
                case "serve" -> ServeCommand.run(rest, out);
                case "broker" -> BrokerCommand.run(rest);
                case "cluster" -> ClusterCommand.run(rest, out);
                case "replay" -> ReplayApp.run(rest, out, err);
                case "bench" -> com.vizsprints.streams.app.bench.BenchCommand.run(rest, out);
                default -> {
                    err.println("unknown command '" + args[0] + "'");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (Flags.UsageException e) {
            err.println("vizsprints " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("vizsprints " + args[0] + " failed: " + e);
            return 1;
        }
    }
}
