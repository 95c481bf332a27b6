package io.specula.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockMetaFormatTest {
    @TempDir
    Path dir;

    /** The meta.json promtool 2.42 wrote for a two-series block (tabs, no trailing newline). */
    static final String PROMTOOL_META = """
            {
            	"ulid": "01M878AK1M9KD4T5MF96GWB1VC",
            	"minTime": 1700000000000,
            	"maxTime": 1700000000001,
            	"stats": {
            		"numSamples": 2,
            		"numSeries": 2,
            		"numChunks": 2
            	},
            	"compaction": {
            		"level": 1,
            		"sources": [
            			"01M878AK1M9KD4T5MF96GWB1VC"
            		]
            	},
            	"version": 1
            }""";

    @Test
    void parse_promtoolMeta_readsAllFieldsAndFormatsIdentically() throws CorruptionException {
        BlockMeta m = BlockMetaFormat.parse(PROMTOOL_META, "meta.json");
        Ulid id = Ulid.parse("01M878AK1M9KD4T5MF96GWB1VC");
        assertThat(m).isEqualTo(BlockMeta.of(id, 1700000000000L, 1700000000001L, BlockMeta.Stats.of(2, 2, 2)));
        assertThat(BlockMetaFormat.format(m)).isEqualTo(PROMTOOL_META);
    }

    @Test
    void format_compactedBlock_matchesGoIndentation() throws CorruptionException {
        Ulid a = Ulid.of(1000, 1, 1), b = Ulid.of(2000, 2, 2), c = Ulid.of(3000, 3, 3);
        BlockMeta m = new BlockMeta(c, -5, 7200000, new BlockMeta.Stats(10, 0, 0, 3, 4, 1),
                new BlockMeta.Compaction(2, List.of(a, b), true, List.of(new BlockMeta.BlockDesc(a, 0, 1), new BlockMeta.BlockDesc(b, 1, 2)),
                        true, List.of("from-out-of-order", "<&>")), 1);
        String json = BlockMetaFormat.format(m);
        assertThat(json).isEqualTo("""
                {
                	"ulid": "%s",
                	"minTime": -5,
                	"maxTime": 7200000,
                	"stats": {
                		"numSamples": 10,
                		"numSeries": 3,
                		"numChunks": 4,
                		"numTombstones": 1
                	},
                	"compaction": {
                		"level": 2,
                		"sources": [
                			"%s",
                			"%s"
                		],
                		"deletable": true,
                		"parents": [
                			{
                				"ulid": "%s",
                				"minTime": 0,
                				"maxTime": 1
                			},
                			{
                				"ulid": "%s",
                				"minTime": 1,
                				"maxTime": 2
                			}
                		],
                		"failed": true,
                		"hints": [
                			"from-out-of-order",
                			"\\u003c\\u0026\\u003e"
                		]
                	},
                	"version": 1
                }""".formatted(c, a, b, a, b));
        assertThat(BlockMetaFormat.parse(json, "m")).isEqualTo(m);
    }

    @Test
    void format_emptyStats_isAnEmptyObject() {
        BlockMeta m = BlockMeta.of(Ulid.of(1, 0, 0), 0, 1, BlockMeta.Stats.EMPTY);
        assertThat(BlockMetaFormat.format(m)).contains("\t\"stats\": {},\n");
    }

    @Test
    void writeThenRead_roundTrips_andLeavesNoTemporaryFile() throws IOException {
        BlockMeta m = BlockMeta.of(Ulid.of(123456, 7, 8), 10, 20, new BlockMeta.Stats(-1L, 0, 0, 1, 1, 0)); // -1 = 2^64 - 1
        BlockMetaFormat.write(dir, m);
        assertThat(Files.readString(dir.resolve("meta.json"))).contains("\"numSamples\": 18446744073709551615");
        assertThat(BlockMetaFormat.read(dir)).isEqualTo(m);
        assertThat(Files.list(dir)).containsExactly(dir.resolve("meta.json"));
    }

    @Test
    void parse_unknownFields_areIgnoredLikePrometheus() throws CorruptionException {
        String json = PROMTOOL_META.replace("\"version\": 1", "\"version\": 1, \"thanos\": {\"labels\": {\"a\": \"b\"}, \"downsample\": {\"resolution\": 0}}");
        assertThat(BlockMetaFormat.parse(json, "m").version()).isEqualTo(1);
    }

    @Test
    void parse_badInput_namesFileLineAndColumn() {
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META.replace("\"version\": 1", "\"version\": 2"), "b/meta.json"))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("b/meta.json: offset ")
                .hasMessageContaining("line 16, column 13: unexpected meta file version 2");
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META.replace("1700000000001", "17.5"), "m"))
                .hasMessageContaining("line 4, column 13: maxTime: want an integer, got 17.5");
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META.replace("\"numChunks\": 2", "\"numChunks\": -2"), "m"))
                .hasMessageContaining("stats.numChunks: want an unsigned integer");
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META.replace("01M878AK1M9KD4T5MF96GWB1VC\",", "01M878AK\","), "m"))
                .hasMessageContaining("ulid: ULID \"01M878AK\" has 8 characters");
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META + " x", "m")).hasMessageContaining("unexpected character 'x' after the JSON value");
        assertThatThrownBy(() -> BlockMetaFormat.parse(PROMTOOL_META.replace("\t\"version\": 1\n", ""), "m"))
                .hasMessageContaining("unexpected character '}', want a quoted object key");
        assertThatThrownBy(() -> BlockMetaFormat.parse("{\"ulid\": \"01M878AK1M9KD4T5MF96GWB1VC\", \"minTime\": 0, \"maxTime\": 1}", "m"))
                .hasMessageContaining("missing field \"version\"");
        assertThatThrownBy(() -> BlockMetaFormat.parse("{\"version\": 1, \"version\": 1}", "m")).hasMessageContaining("duplicate key \"version\"");
        assertThatThrownBy(() -> BlockMetaFormat.parse("{\"version\": 01}", "m")).hasMessageContaining("want ','");
        assertThatThrownBy(() -> BlockMetaFormat.parse("[".repeat(100), "m")).hasMessageContaining("nesting deeper than 64");
        assertThatThrownBy(() -> BlockMetaFormat.parse("", "m")).hasMessageContaining("unexpected end of input");
    }
}
