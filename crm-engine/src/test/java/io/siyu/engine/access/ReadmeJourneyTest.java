package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.siyu.engine.SiyuApplication;
import io.siyu.wecom.simulator.WeChatSimulator;

/**
 * README's curl journey, run as written by bash and curl against a fresh engine on its default (on-disk) store, with
 * the first operator credential read from the data directory as README says and WeChat played by the simulator on the
 * port README names replaced by the test's. Every {@code # →} answer README shows is found in what curl printed
 * ({@code …} stands for anything).
 */
class ReadmeJourneyTest {

    @TempDir
    Path workDir;

    @Test
    void theReadmeJourneyRunsAsWritten() throws Exception {
        List<String> block = journey(Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8));
        try (WeChatSimulator wechat = new WeChatSimulator("wx-siyu-demo", "demo-miniapp-secret");
             ConfigurableApplicationContext engine = new SpringApplicationBuilder(SiyuApplication.class).run(
                     "--server.port=0", "--siyu.data-dir=" + workDir.resolve("data"),
                     "--siyu.embedded.in-memory=false", "--server.shutdown=immediate",
                     "--siyu.miniapp.app-id=wx-siyu-demo", "--siyu.miniapp.secret=demo-miniapp-secret",
                     "--siyu.miniapp.api-base-url=" + wechat.baseUrl())) {
            assertThat(workDir.resolve("data").resolve("operator.credential")).exists();
            String port = engine.getEnvironment().getProperty("local.server.port");
            String script = String.join("\n", block)
                    .replace("http://localhost:8080", "http://localhost:" + port)
                    .replace("http://127.0.0.1:18091", wechat.baseUrl());
            Process bash = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile())
                    .redirectErrorStream(true).start();
            assertThat(bash.waitFor(120, TimeUnit.SECONDS)).as("the journey finished").isTrue();
            String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> expected = block.stream().filter(line -> line.startsWith("# → "))
                    .map(line -> line.substring(4).split(" {3}")[0].trim()).toList();
            assertThat(expected).hasSizeGreaterThanOrEqualTo(6);
            for (String answer : expected) {
                Pattern pattern = Pattern.compile(String.join(".*", java.util.Arrays.stream(answer.split("…", -1))
                        .map(Pattern::quote).toList()));
                assertThat(pattern.matcher(printed).find()).as("README's answer %s in what curl printed:%n%s",
                        answer, printed).isTrue();
            }

            // without WeCom configured, the sidebar's sign-in says so
            java.net.http.HttpResponse<String> weCom = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                                    + "/api/v1/auth/wecom")).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"code\":\"c\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(weCom.statusCode()).isEqualTo(503);
            assertThat(weCom.body()).contains("urn:siyu:problem:wecom-not-configured");
            String marketer = engine.getBean(Credentials.class).create(Role.MARKETER, "readme-marketer", "test")
                    .block().secret();
            java.net.http.HttpResponse<String> contactWay = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                                    + "/api/v1/wecom/contact-ways")).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + marketer)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"state\":\"s1\",\"staffUserIds\":[\"u1\"]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(contactWay.statusCode()).isEqualTo(503);
            assertThat(contactWay.body()).contains("urn:siyu:problem:wecom-not-configured");

            // README's bash for a signed request, with a real integration key
            String key = engine.getBean(Credentials.class).create(Role.INTEGRATION, "readme-signer", "test").block()
                    .secret();
            String signing = "API=http://localhost:" + port + "/api/v1\n" + String.join("\n", signingExample(
                    Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8)))
                    .replace("KEY=siyu_…", "KEY=" + key);
            Process signed = new ProcessBuilder("bash", "-c", signing).directory(workDir.toFile())
                    .redirectErrorStream(true).start();
            assertThat(signed.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(signed.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .as("a member registered by README's signed request").matches("\\{\"memberId\":\"[^\"]+\"\\}");
        }
    }

    /** The indented bash example of a signed request in "Callers and their credentials". */
    private static List<String> signingExample(List<String> readme) throws IOException {
        int section = readme.indexOf("## Callers and their credentials");
        int start = section + readme.subList(section, readme.size()).indexOf("  ```bash");
        List<String> block = new ArrayList<>();
        for (String line : readme.subList(start + 1, readme.size())) {
            if (line.equals("  ```")) {
                return block;
            }
            block.add(line.substring(2));
        }
        throw new IOException("no signing example in README");
    }

    /** The bash block of "The journey in curl" that starts with {@code API=}. */
    private static List<String> journey(List<String> readme) throws IOException {
        int section = readme.indexOf("## The journey in curl");
        List<String> block = new ArrayList<>();
        boolean inBlock = false;
        for (String line : readme.subList(section, readme.size())) {
            if (!inBlock && line.equals("```bash")) {
                inBlock = true;
                block.clear();
            } else if (inBlock && line.equals("```")) {
                if (!block.isEmpty() && block.get(0).startsWith("API=")) {
                    return block;
                }
                inBlock = false;
            } else if (inBlock) {
                block.add(line);
            }
        }
        throw new IOException("no journey block starting with API= in README");
    }
}
