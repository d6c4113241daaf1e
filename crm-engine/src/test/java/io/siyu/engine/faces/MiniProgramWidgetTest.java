package io.siyu.engine.faces;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import io.siyu.engine.access.Role;
import io.siyu.engine.support.AllowedCallers;
import io.siyu.engine.support.Browser;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.SimulatedWeChat;
import io.siyu.engine.support.TestClock;

/**
 * The Mini Program widget's own tests ({@code mini-program/test}, jest with Tencent's miniprogram-simulate) against
 * this engine and the WeChat simulator: {@code wx.login} gets its code from the simulator, {@code wx.request} calls the
 * engine over HTTP. Runs {@code npm ci} once (the npm registry) and {@code npm test}; fails with jest's output.
 * Without Node and npm the test fails in CI ({@code .ci/run} installs them) and is skipped loudly elsewhere.
 */
@EngineTest
class MiniProgramWidgetTest {

    private static final Path WIDGET = Path.of("..", "mini-program").toAbsolutePath().normalize();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext engine;

    @Test
    void theLoyaltyCardsJestSuitePassesAgainstTheEngine() throws Exception {
        requireNode();
        Path log = Path.of("target", "mini-program-jest.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        if (!Files.exists(WIDGET.resolve("node_modules").resolve(".package-lock.json"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), log, 600);
        }
        String integration = AllowedCallers.of(engine).key(Role.INTEGRATION);
        ProcessBuilder jest = new ProcessBuilder("npm", "test", "--silent");
        jest.environment().put("SIYU_API", "http://127.0.0.1:" + port + "/api/v1");
        jest.environment().put("WECHAT_SIM", SimulatedWeChat.WECHAT.baseUrl());
        jest.environment().put("SIYU_INTEGRATION", integration);
        jest.environment().put("SIYU_ARTIFACTS", Browser.ARTIFACTS.toAbsolutePath().toString());
        jest.environment().put("SIYU_CLOCK_OFFSET_MS",
                String.valueOf(TestClock.SHARED.millis() - Instant.now().toEpochMilli()));
        String output = run(jest, log, 300);
        Matcher summary = Pattern.compile("Tests:\\s+(\\d+) passed, (\\d+) total").matcher(output);
        assertThat(summary.find()).as("jest's summary in:\n" + output).isTrue();
        assertThat(summary.group(1)).as(output).isEqualTo(summary.group(2));
        assertThat(Integer.parseInt(summary.group(2))).isEqualTo(4);
        photograph();
    }

    /** The card as the component test rendered it, in Chromium at a phone's width (where the browser is). */
    private static void photograph() throws IOException {
        Path page = Browser.ARTIFACTS.toAbsolutePath().resolve("mini-program-card.html");
        assertThat(page).exists();
        if (!Browser.available()) {
            return;
        }
        try (Browser browser = Browser.start("zh-CN")) {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(375, 1100));
            browser.driver().get(page.toUri().toString());
            browser.screenshot("mini-program-card");
        }
    }

    private static void requireNode() throws InterruptedException {
        boolean present;
        try {
            present = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start()
                    .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException missing) {
            present = false;
        }
        if (!present) {
            String why = "The Mini Program's tests need Node.js and npm (apt-get install -y nodejs npm; .ci/run installs them)";
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(why);
            }
            System.err.println("\n!!!!! SKIPPED: " + why + " !!!!!\n");
            Assumptions.abort(why);
        }
    }

    private static String run(List<String> command, Path log, int seconds) throws Exception {
        return run(new ProcessBuilder(command), log, seconds);
    }

    /** Runs in the widget's folder; @return its output (also appended to the log); fails on a non-zero exit. */
    private static String run(ProcessBuilder builder, Path log, int seconds) throws Exception {
        Path output = Files.createTempFile("npm", ".log");
        Process process = builder.directory(WIDGET.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        Files.writeString(log, "$ " + String.join(" ", builder.command()) + "\n" + text, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println(text);
        assertThat(ended).as(builder.command() + " did not end within " + seconds + " s:\n" + text).isTrue();
        assertThat(process.exitValue()).as(builder.command() + " failed:\n" + text).isZero();
        return text;
    }
}
