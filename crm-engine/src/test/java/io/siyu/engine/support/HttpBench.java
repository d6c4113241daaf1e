package io.siyu.engine.support;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.HdrHistogram.Histogram;

/** The bench runners' HTTP load: requests from a few clients at once, each answer's latency in a histogram. */
public final class HttpBench {

    private HttpBench() {
    }

    /** Sends {@code count} requests from {@code clients} clients; every answer must have status {@code expected}. */
    public static Histogram measure(int count, int clients, IntFunction<HttpRequest> request, HttpClient http,
                                    int expected) throws Exception {
        Histogram latency = new Histogram(60_000_000_000L, 3);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> sent = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            int first = client;
            sent.add(pool.submit(() -> {
                for (int i = first; i < count; i += clients) {
                    HttpRequest next = request.apply(i);
                    long start = System.nanoTime();
                    HttpResponse<String> answer = http.send(next, HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - start;
                    if (answer.statusCode() != expected) {
                        throw new IllegalStateException("answered " + answer.statusCode() + ": " + answer.body());
                    }
                    synchronized (latency) {
                        latency.recordValue(took);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> done : sent) {
                done.get();
            }
        } finally {
            pool.shutdown();
        }
        return latency;
    }

    public static void print(String name, Histogram latency) {
        System.out.printf(Locale.ROOT, "%-58s %8.2f %8.2f %8.2f%n", name, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
    }
}
