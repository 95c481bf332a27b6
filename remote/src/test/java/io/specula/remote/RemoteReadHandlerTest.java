package io.specula.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.DB;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteReadHandlerTest {
    static final long T0 = 1_700_000_000_000L;
    static final int N = 1000;

    @TempDir
    Path tmp;
    DB db;
    Labels ext = Labels.of("cluster", "eu", "replica", "a");

    @BeforeEach
    void open() throws Exception {
        db = DB.open(tmp, DB.Options.defaults());
        Appender app = db.appender();
        for (int i = 0; i < N; i++) {
            app.append(0, Labels.of("__name__", "m", "job", "a"), T0 + i * 1000L, i);
            app.append(0, Labels.of("__name__", "m", "job", "b", "replica", "own"), T0 + i * 1000L, -i);
        }
        app.commit();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    RemoteReadHandler handler(long sampleLimit, int frameBytes) {
        return new RemoteReadHandler(() -> db, () -> ext, new RemoteReadHandler.Options(sampleLimit, 2, frameBytes));
    }

    static byte[] request(long start, long end, Prompb.ReadRequest.ResponseType type, Prompb.LabelMatcher... ms) {
        Prompb.ReadRequest.Builder r = Prompb.ReadRequest.newBuilder()
                .addQueries(Prompb.Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end).addAllMatchers(List.of(ms)));
        if (type != null) {
            r.addAcceptedResponseTypes(type);
        }
        return SnappyBlock.encode(r.build().toByteArray());
    }

    static Prompb.LabelMatcher eq(String n, String v) {
        return Prompb.LabelMatcher.newBuilder().setType(Prompb.LabelMatcher.Type.EQ).setName(n).setValue(v).build();
    }

    static String text(HttpAnswer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    static String labels(List<Prompb.Label> ls) {
        StringBuilder b = new StringBuilder();
        for (Prompb.Label l : ls) {
            b.append(l.getName()).append('=').append(l.getValue()).append(',');
        }
        return b.toString();
    }

    @Test
    void sampled_returnsRangeWithExternalLabels() throws Exception {
        HttpAnswer a = handler(0, 1 << 20).handle(request(T0 + 10_000, T0 + 19_000, null, eq("__name__", "m"), eq("cluster", "eu")),
                ct -> { throw new AssertionError("not streamed"); });
        assertThat(a.status()).as(text(a)).isEqualTo(200);
        assertThat(a.contentType()).isEqualTo("application/x-protobuf");
        assertThat(a.headers()).containsEntry("Content-Encoding", "snappy");
        Prompb.ReadResponse r = Prompb.ReadResponse.parseFrom(SnappyBlock.decode(a.body(), 1 << 26));
        assertThat(r.getResultsCount()).isEqualTo(1);
        List<String> series = new ArrayList<>();
        for (Prompb.TimeSeries ts : r.getResults(0).getTimeseriesList()) {
            series.add(labels(ts.getLabelsList()));
            assertThat(ts.getSamplesCount()).isEqualTo(10);
            assertThat(ts.getSamples(0).getTimestamp()).isEqualTo(T0 + 10_000);
        }
        assertThat(series).containsExactlyInAnyOrder("__name__=m,cluster=eu,job=a,replica=a,", "__name__=m,cluster=eu,job=b,replica=own,");
    }

    @Test
    void sampled_externalLabelWithOtherValue_matchesNothing() throws Exception {
        HttpAnswer a = handler(0, 1 << 20).handle(request(T0, T0 + 5000, null, eq("__name__", "m"), eq("cluster", "us")), ct -> null);
        Prompb.ReadResponse r = Prompb.ReadResponse.parseFrom(SnappyBlock.decode(a.body(), 1 << 26));
        assertThat(r.getResults(0).getTimeseriesCount()).isZero();
    }

    @Test
    void sampled_sampleLimit_400() {
        HttpAnswer a = handler(15, 1 << 20).handle(request(T0, T0 + 9_000, null, eq("__name__", "m")), ct -> null);
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).isEqualTo("exceeded sample limit (15)\n");
    }

    @Test
    void badRequests_400() {
        RemoteReadHandler h = handler(0, 1 << 20);
        assertThat(h.handle(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 9}, ct -> null).status()).isEqualTo(400);
        assertThat(h.handle(SnappyBlock.encode(new byte[] {(byte) 0xff, 1, 2}), ct -> null).status()).isEqualTo(400);
        Prompb.LabelMatcher badRe = Prompb.LabelMatcher.newBuilder().setType(Prompb.LabelMatcher.Type.RE).setName("x").setValue("(").build();
        assertThat(h.handle(request(T0, T0, null, badRe), ct -> null).status()).isEqualTo(400);
        byte[] unknownType = SnappyBlock.encode(Prompb.ReadRequest.newBuilder().addAcceptedResponseTypesValue(7).build().toByteArray());
        HttpAnswer a = h.handle(unknownType, ct -> null);
        assertThat(a.status()).isEqualTo(400);
        assertThat(text(a)).startsWith("server does not support any of the requested response types");
    }

    @Test
    void streamed_framesDecodeToTheSamples_splitBySize() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] ct = new String[1];
        HttpAnswer a = handler(1, 400).handle(request(T0, T0 + N * 1000L, Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS,
                eq("job", "a")), c -> {
                    ct[0] = c;
                    return out;
                });
        assertThat(a).isNull(); // the sample limit does not apply to streams, as in Prometheus
        assertThat(ct[0]).isEqualTo("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        int frames = 0;
        long expectT = T0;
        byte[] msg;
        while ((msg = ChunkedFrames.read(in, 1 << 20)) != null) {
            frames++;
            assertThat(msg.length).isLessThan(400 + 1200);
            Prompb.ChunkedReadResponse r = Prompb.ChunkedReadResponse.parseFrom(msg);
            assertThat(r.getQueryIndex()).isZero();
            assertThat(r.getChunkedSeriesCount()).isEqualTo(1);
            assertThat(labels(r.getChunkedSeries(0).getLabelsList())).isEqualTo("__name__=m,cluster=eu,job=a,replica=a,");
            for (Prompb.Chunk c : r.getChunkedSeries(0).getChunksList()) {
                assertThat(c.getType()).isEqualTo(Prompb.Chunk.Encoding.XOR);
                byte[] data = c.getData().toByteArray();
                SampleIterator it = XorChunk.fromData(data, data.length).iterator(null);
                assertThat(c.getMinTimeMs()).isEqualTo(expectT);
                while (it.next() == ValueType.FLOAT) {
                    assertThat(it.atT()).isEqualTo(expectT);
                    assertThat(it.atV()).isEqualTo((expectT - T0) / 1000.0);
                    expectT += 1000;
                }
                assertThat(it.err()).isNull();
                assertThat(c.getMaxTimeMs()).isEqualTo(expectT - 1000);
            }
        }
        assertThat(expectT).isEqualTo(T0 + N * 1000L);
        assertThat(frames).isGreaterThan(1);
    }

    @Test
    void concurrentLimit_laterRequestWaitsForASlot() throws Exception {
        RemoteReadHandler h = new RemoteReadHandler(() -> db, () -> ext, new RemoteReadHandler.Options(0, 1, 1 << 20));
        byte[] streamedReq = request(T0, T0 + 1000, Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, eq("job", "a"));
        byte[] sampledReq = request(T0, T0 + 1000, null, eq("job", "a"));
        java.util.concurrent.CompletableFuture<HttpAnswer> second = new java.util.concurrent.CompletableFuture<>();
        boolean[] doneWhileFirstRan = new boolean[1];
        h.handle(streamedReq, ct -> {
            Thread.ofVirtual().start(() -> second.complete(h.handle(sampledReq, c -> null)));
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            doneWhileFirstRan[0] = second.isDone();
            return new ByteArrayOutputStream();
        });
        assertThat(doneWhileFirstRan[0]).isFalse();
        assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void frames_crcMismatchAndTruncation_detected() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedFrames.write(out, "hello".getBytes(StandardCharsets.UTF_8));
        byte[] b = out.toByteArray();
        assertThat(b[0]).isEqualTo((byte) 5);
        assertThat(new String(ChunkedFrames.read(new ByteArrayInputStream(b), 10), StandardCharsets.UTF_8)).isEqualTo("hello");
        byte[] bad = b.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> ChunkedFrames.read(new ByteArrayInputStream(bad), 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> ChunkedFrames.read(new ByteArrayInputStream(b, 0, b.length - 1), 10)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ChunkedFrames.read(new ByteArrayInputStream(b), 4)).hasMessageContaining("exceeds");
    }
}
