package io.siyu.engine.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.siyu.wecom.simulator.CallbackSender;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * The whole engine in a JVM of its own ({@link EngineProcess}) on a durable store in {@code data}, configured for a
 * WeCom simulator, for tests that kill it (SIGKILL) or stop it (SIGTERM) and start it again on the same data: the
 * same HTTP and store ports each time, the operator credential read from the data directory, reconciliation off.
 */
public final class WeComEngineProcess implements AutoCloseable {

    private final Path data;
    private final WeComSimulator wecom;
    private final String secret;
    private final List<String> settings;
    private final int httpPort;
    private final int storePort;
    private Process engine;
    private String operator;

    /** @param settings further {@code --name=value} settings for every start */
    public WeComEngineProcess(Path data, WeComSimulator wecom, String secret, String... settings) throws IOException {
        this.data = data;
        this.wecom = wecom;
        this.secret = secret;
        this.settings = List.of(settings);
        this.httpPort = freePort();
        this.storePort = freePort();
    }

    /** Starts the engine and waits until it serves (at most two minutes). */
    public void start() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--siyu.data-dir=" + data, "--server.port=" + httpPort,
                "--siyu.embedded.port=" + storePort, "--logging.level.root=warn",
                "--siyu.wecom.corp-id=" + EngineTest.WECOM_CORP, "--siyu.wecom.token=" + EngineTest.WECOM_TOKEN,
                "--siyu.wecom.encoding-aes-key=" + EngineTest.WECOM_KEY, "--siyu.wecom.secret=" + secret,
                "--siyu.wecom.agent-id=1000002", "--siyu.wecom.api-base-url=" + wecom.baseUrl(),
                "--siyu.wecom.welcome=", "--siyu.wecom.work.lease=2s", "--siyu.wecom.work.poll-interval=300ms",
                "--siyu.wecom.reconciliation.enabled=false"));
        arguments.addAll(settings);
        engine = ChildJvm.start(EngineProcess.class, arguments.toArray(String[]::new));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Process started = engine;
        Thread output = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException ended) {
                // the process is gone
            }
            ready.completeExceptionally(new IllegalStateException("the engine exited before it was ready"));
        }, "engine-output");
        output.setDaemon(true);
        output.start();
        ready.get(120, TimeUnit.SECONDS);
        operator = "Bearer " + Files.readString(data.resolve("operator.credential")).trim();
    }

    /** SIGKILL: the engine dies with whatever it was doing. */
    public void kill() throws InterruptedException {
        engine.destroyForcibly();
        engine.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: Spring's normal shutdown; @return whether it ended within a minute */
    public boolean stop() throws InterruptedException {
        engine.destroy();
        return engine.waitFor(60, TimeUnit.SECONDS);
    }

    /** The port the engine serves HTTP on. */
    public int httpPort() {
        return httpPort;
    }

    /** The operator credential of the engine's first start ({@code Bearer …}). */
    public String operator() {
        return operator;
    }

    /** A new credential of {@code role} made by the operator ({@code Bearer …}). */
    public String credential(String role, String name) throws Exception {
        return "Bearer " + call("POST", "/api/v1/admin/credentials", operator, Map.of("role", role, "name", name))
                .get("secret");
    }

    public Map<String, Object> call(String method, String path, String credential, Object body) throws Exception {
        return new EngineHttp(httpPort).call(method, path, credential, body);
    }

    /** Sends WeCom callbacks to this engine, sealed as WeCom does. */
    public CallbackSender callbacks() {
        return new CallbackSender(WeComCallbacks.WECOM, EngineTest.WECOM_CORP,
                URI.create("http://127.0.0.1:" + httpPort + "/wecom/callback"), Clock.systemUTC());
    }

    /** The embedded store's connection string. */
    public String store() {
        return "mongodb://127.0.0.1:" + storePort;
    }

    @Override
    public void close() throws InterruptedException {
        if (engine != null) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
