package io.github.mlflowsecretsauth.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A wrk2-style open-loop load generator (Debian has no wrk2): GET requests at a constant total rate
 * over keep-alive HTTP/1.1 connections, each connection on its own thread with its share of the rate.
 * Latency is measured from when a request was <em>scheduled</em>, not when it was sent, so a stall
 * shows up in the figures instead of silently lowering the rate (coordinated omission corrected).
 *
 * <p>Usage: {@code ConstantRateLoad URL RATE CONNECTIONS SECONDS [WARMUP_SECONDS]}. Prints one line:
 * {@code rate=... sent=... errors=... p50_us=... p90_us=... p99_us=... p999_us=... max_us=...}.
 */
public final class ConstantRateLoad {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        double rate = Double.parseDouble(args[1]);
        int connections = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        double warmup = args.length > 4 ? Double.parseDouble(args[4]) : 2;
        byte[] request = ("GET " + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                + " HTTP/1.1\r\nHost: " + url.getRawAuthority() + "\r\nAccept: application/json\r\nUser-Agent: bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long interval = (long) (1e9 * connections / rate);
        long start = System.nanoTime() + 100_000_000L;
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker(url, request, start + i * interval / connections, interval, measureFrom, end);
            workers.add(w);
            w.start();
        }
        long errors = 0;
        int total = 0;
        for (Worker w : workers) {
            w.join();
            errors += w.errors;
            total += w.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "rate=%.1f sent=%d errors=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f%n",
                total / seconds, total, errors, pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 99.9),
                all.length == 0 ? 0 : all[all.length - 1] / 1e3);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] / 1e3;
    }

    /** One connection: sends at its scheduled times, reads each response fully, records latencies. */
    private static final class Worker extends Thread {
        private final URI url;
        private final byte[] request;
        private final long first;
        private final long interval;
        private final long measureFrom;
        private final long end;
        long[] latencies = new long[1024];
        int count;
        long errors;

        Worker(URI url, byte[] request, long first, long interval, long measureFrom, long end) {
            super("load-" + first);
            this.url = url;
            this.request = request;
            this.first = first;
            this.interval = interval;
            this.measureFrom = measureFrom;
            this.end = end;
            setDaemon(true);
        }

        @Override
        public void run() {
            Socket socket = null;
            InputStream in = null;
            OutputStream out = null;
            for (long k = 0; ; k++) {
                long scheduled = first + k * interval;
                if (scheduled >= end) {
                    break;
                }
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                try {
                    if (socket == null) {
                        socket = new Socket();
                        socket.setTcpNoDelay(true);
                        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
                        socket.setSoTimeout(30_000);
                        in = new BufferedInputStream(socket.getInputStream(), 65536);
                        out = socket.getOutputStream();
                    }
                    out.write(request);
                    out.flush();
                    int status = readResponse(in);
                    if (status != 200) {
                        errors++;
                    }
                } catch (IOException e) {
                    errors++;
                    close(socket);
                    socket = null;
                }
                long done = System.nanoTime();
                if (scheduled >= measureFrom) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = done - scheduled;
                }
            }
            close(socket);
        }

        private static void close(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        /** Reads one response (Content-Length or chunked body); returns its status. */
        private static int readResponse(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line(in).split(";")[0].strip(), 16)) > 0; ) {
                    skip(in, size);
                    line(in);
                }
                while (!line(in).isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(in, length);
            }
            return status;
        }

        private static void skip(InputStream in, long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    s = 1;
                }
                n -= s;
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
