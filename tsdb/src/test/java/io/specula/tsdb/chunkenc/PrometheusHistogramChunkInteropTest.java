package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.LabelsBuilder;
import io.specula.testsupport.RealPrometheus;
import io.specula.tsdb.ClientJavaHistogramTarget;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.chunks.ChunkSegmentReader;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexFileReader;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte compatibility of the histogram chunk encoding with the real Prometheus 2.42: it scrapes a
 * Prometheus Java client 1.x target serving native histograms over protobuf (growing bucket
 * layouts, negative and zero observations, a resolution reduction, a counter reset), a
 * snapshot cuts its head into a block, and every histogram chunk in that block must decode
 * with our iterator and re-encode with our appender to the same bytes. About 20 s; skipped
 * with a message when Prometheus is not installed.
 */
class PrometheusHistogramChunkInteropTest {

    @TempDir
    Path tmp;

    @Test
    void prometheusChunks_reencodeToTheSameBytes() throws Exception {
        Assumptions.assumeTrue(RealPrometheus.available(),
                RealPrometheus.BINARY + " not found: install Debian's 'prometheus' package to test histogram chunks against Prometheus 2.42");
        Path cfg = tmp.resolve("prometheus.yml");
        Path snapshot;
        String log;
        try (ClientJavaHistogramTarget target = new ClientJavaHistogramTarget(42, true)) {
            Files.writeString(cfg, target.prometheusConfig());
            try (RealPrometheus prom = RealPrometheus.start(cfg, tmp.resolve("prom"), List.of(),
                    "--enable-feature=native-histograms", "--web.enable-admin-api")) {
                // Scrapes counted at the target, so the machine's load cannot skew the plan.
                target.awaitScrapes(6);
                target.resetCounter();
                target.awaitScrapes(target.scrapes() + 6);
                snapshot = prom.snapshot();
                log = prom.log();
            }
        }

        int chunks = 0;
        int samples = 0;
        int[] headers = new int[4];
        List<String> seen = new java.util.ArrayList<>();
        List<Path> blocks;
        try (Stream<Path> s = Files.list(snapshot)) {
            blocks = s.filter(Files::isDirectory).toList();
        }
        assertThat(blocks).isNotEmpty();
        for (Path dir : blocks) {
            try (IndexFileReader index = IndexFileReader.open(dir.resolve(Block.INDEX));
                    ChunkSegmentReader reader = ChunkSegmentReader.open(dir.resolve(Block.CHUNKS))) {
                Postings postings = index.allPostings();
                LabelsBuilder lb = new LabelsBuilder();
                ChunkMetas metas = new ChunkMetas();
                while (postings.next()) {
                    index.series(postings.at(), lb, metas.clear());
                    HistogramAppender prev = null;
                    for (int i = 0; i < metas.size(); i++) {
                        Chunk c = reader.chunk(metas.ref(i));
                        if (c.encoding() != Encoding.HISTOGRAM) {
                            prev = null;
                            continue;
                        }
                        byte[] theirs = Arrays.copyOf(c.bytes(), c.length());
                        HistogramChunk ours = HistogramChunk.create();
                        HistogramAppender app = ours.appender();
                        SampleIterator it = c.iterator(null);
                        io.specula.model.histogram.Histogram h = null;
                        // Prometheus 2.42's head writes "unknown" into a chunk it cuts at a chunk-range
                        // boundary, where 3.x (and we) derive "not a reset" from the previous chunk;
                        // readers see no difference (the first sample's hint is "unknown" either way).
                        HistogramAppender from = ((HistogramChunk) c).counterResetHeader() == HistogramChunk.HEADER_UNKNOWN ? null : prev;
                        while (it.next() == ValueType.HISTOGRAM) {
                            h = it.atHistogram(h);
                            assertThat(app.append(from, it.atT(), h, false)).as("re-appending %s", lb.build()).isEqualTo(HistogramAppender.APPENDED);
                            samples++;
                        }
                        assertThat(it.err()).as("decoding a chunk of %s", lb.build()).isNull();
                        assertThat(HexFormat.of().formatHex(Arrays.copyOf(ours.bytes(), ours.length())))
                                .as("chunk %d of %s (%d samples)", i, lb.build(), c.numSamples())
                                .isEqualTo(HexFormat.of().formatHex(theirs));
                        headers[((HistogramChunk) c).counterResetHeader() >>> 6]++;
                        seen.add(lb.build().get("__name__") + lb.build().get("path") + ":" + ((HistogramChunk) c).counterResetHeader() + "/" + c.numSamples());
                        chunks++;
                        prev = app;
                    }
                }
            }
        }
        assertThat(chunks).as("histogram chunks Prometheus wrote; log:\n%s", log).isGreaterThanOrEqualTo(4);
        assertThat(samples).isGreaterThan(30);
        // The reset cut a chunk. (2.42 marks it "unknown"; 3.x and we mark such a chunk "reset".)
        assertThat(seen.stream().filter(x -> x.startsWith("test_reset")).count()).as("chunks of the reset series; %s", seen).isGreaterThanOrEqualTo(2);
        System.out.printf("re-encoded %d histogram chunks (%d samples) of Prometheus 2.42 byte for byte; headers unknown/not-reset/reset/gauge: %s%n",
                chunks, samples, Arrays.toString(headers));

        // The block read path hands the same histograms out through the storage iterators, and a
        // block rewritten by our writer (what compaction does) holds them unchanged.
        for (Path dir : blocks) {
            Block block = Block.open(dir);
            Path rewritten = tmp.resolve("rewritten");
            Files.createDirectories(rewritten);
            io.specula.tsdb.block.BlockMeta meta;
            try (io.specula.tsdb.storage.Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                meta = io.specula.tsdb.block.BlockWriter.write(rewritten, io.specula.tsdb.block.Ulid.parse(dir.getFileName().toString()),
                        block.meta().minTime(), block.meta().maxTime(), q.select(true, null), null);
            }
            Block copy = Block.open(rewritten.resolve(dir.getFileName().toString()));
            try (io.specula.tsdb.storage.Querier q1 = block.querier(Long.MIN_VALUE, Long.MAX_VALUE);
                    io.specula.tsdb.storage.Querier q2 = copy.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                io.specula.tsdb.storage.SeriesSet a = q1.select(true, null);
                io.specula.tsdb.storage.SeriesSet b = q2.select(true, null);
                int histograms = 0;
                while (a.next()) {
                    assertThat(b.next()).isTrue();
                    assertThat(b.at().labels()).isEqualTo(a.at().labels());
                    SampleIterator ia = a.at().iterator(null);
                    SampleIterator ib = b.at().iterator(null);
                    for (int type = ia.next(); type != ValueType.NONE; type = ia.next()) {
                        assertThat(ib.next()).isEqualTo(type);
                        assertThat(ib.atT()).isEqualTo(ia.atT());
                        if (type == ValueType.HISTOGRAM) {
                            histograms++;
                            assertThat(ib.atHistogram(null).equals(ia.atHistogram(null))).isTrue();
                            assertThat(ib.atFloatHistogram(null).equals(ia.atFloatHistogram(null))).isTrue();
                        } else {
                            assertThat(Double.doubleToRawLongBits(ib.atV())).isEqualTo(Double.doubleToRawLongBits(ia.atV()));
                        }
                    }
                    assertThat(ia.err()).isNull();
                    assertThat(ib.next()).isEqualTo(ValueType.NONE);
                }
                assertThat(b.next()).isFalse();
                assertThat(histograms).isEqualTo(samples);
                assertThat(meta.stats().numSamples()).isGreaterThan(samples);
            } finally {
                copy.close();
                block.close();
            }
        }
    }
}
