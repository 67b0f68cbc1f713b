package org.panolm.cli.testserver;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.panolm.cli.ExitCodes;
import org.panolm.testkit.TestHomeserver;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code panolm testserver}: the test homeserver of the {@code testkit} module in the foreground, for tests in any
 * language. Prints its base URL as the only line on standard output, then serves until interrupted.
 */
@Command(name = "testserver",
        mixinStandardHelpOptions = true,
        description = {"Runs a Matrix homeserver for tests on 127.0.0.1 and prints its base URL.",
            "Every request and response is checked against the Matrix spec's OpenAPI files; the problems found are "
                    + "at GET /_testkit/violations (server bugs) and /_testkit/rejected (client requests that "
                    + "failed the spec). Faults and rate limits: POST /_testkit/faults, POST /_testkit/rate_limit, "
                    + "DELETE /_testkit/faults. Stop it with Ctrl-C."})
public final class TestServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "Port on 127.0.0.1 (default: a free one).")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep users, rooms, keys, backups and media in DIR across restarts (default: memory only).")
    Path data;

    @Option(names = "--server-name", paramLabel = "NAME", defaultValue = TestHomeserver.DEFAULT_SERVER_NAME,
            description = "Server name in user and room ids (default: ${DEFAULT-VALUE}).")
    String serverName;

    @Override
    public Integer call() throws InterruptedException {
        TestHomeserver server = TestHomeserver.builder().port(port).dataDir(data).serverName(serverName).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "testserver-stop"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(server.baseUrl());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("panolm testserver: serving " + server.baseUrl() + (data == null ? " (in memory)"
                : " (data in " + data + ")") + "; Ctrl-C stops it");
        err.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
