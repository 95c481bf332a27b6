package io.specula.tsdb.block;

import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A block's {@code meta.json}: JSON as Prometheus's {@code BlockMeta} marshals it with
 * tab indentation, fields in this order (those marked ? left out when zero or empty):
 *
 * <pre>
 * {
 * 	"ulid": "&lt;26-char ULID&gt;",
 * 	"minTime": &lt;int64 ms&gt;,
 * 	"maxTime": &lt;int64 ms, exclusive&gt;,
 * 	"stats": {
 * 		"numSamples"?, "numFloatSamples"?, "numHistogramSamples"?,
 * 		"numSeries"?, "numChunks"?, "numTombstones"?: &lt;uint64&gt;
 * 	},
 * 	"compaction": {
 * 		"level": &lt;int&gt;,
 * 		"sources"?: [&lt;ULID&gt;, …],
 * 		"deletable"?: true,
 * 		"parents"?: [{"ulid": …, "minTime": …, "maxTime": …}, …],
 * 		"failed"?: true,
 * 		"hints"?: [&lt;string&gt;, …]
 * 	},
 * 	"version": 1
 * }
 * </pre>
 *
 * No trailing newline. Reading is strict about syntax and types, requires ulid, minTime,
 * maxTime and version (which must be 1), and ignores unknown fields, as Prometheus does
 * (Thanos adds a {@code "thanos"} section). Errors are {@link CorruptionException}s naming
 * the file, offset, line and column.
 */
public final class BlockMetaFormat {
    public static final String FILENAME = "meta.json";

    private BlockMetaFormat() {}

    /** Reads {@code blockDir/meta.json}. */
    public static BlockMeta read(Path blockDir) throws IOException {
        Path file = blockDir.resolve(FILENAME);
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Writes {@code blockDir/meta.json} atomically: a synced temporary file renamed over it. */
    public static void write(Path blockDir, BlockMeta meta) throws IOException {
        Path file = blockDir.resolve(FILENAME);
        Path tmp = blockDir.resolve(FILENAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(format(meta).getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDir(blockDir);
    }

    static void syncDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened; the rename is durable on the ones we run on.
        }
    }

    /** The JSON text of {@code meta}, byte for byte as Prometheus writes it. */
    public static String format(BlockMeta m) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\n");
        sb.append("\t\"ulid\": \"").append(m.ulid()).append("\",\n");
        sb.append("\t\"minTime\": ").append(m.minTime()).append(",\n");
        sb.append("\t\"maxTime\": ").append(m.maxTime()).append(",\n");
        BlockMeta.Stats s = m.stats();
        List<String> stats = new ArrayList<>();
        addCount(stats, "numSamples", s.numSamples());
        addCount(stats, "numFloatSamples", s.numFloatSamples());
        addCount(stats, "numHistogramSamples", s.numHistogramSamples());
        addCount(stats, "numSeries", s.numSeries());
        addCount(stats, "numChunks", s.numChunks());
        addCount(stats, "numTombstones", s.numTombstones());
        sb.append("\t\"stats\": ");
        object(sb, stats, "\t");
        sb.append(",\n");

        BlockMeta.Compaction c = m.compaction();
        List<String> comp = new ArrayList<>();
        comp.add("\"level\": " + c.level());
        if (!c.sources().isEmpty()) {
            comp.add("\"sources\": " + array(c.sources().stream().map(u -> "\"" + u + "\"").toList(), "\t\t"));
        }
        if (c.deletable()) {
            comp.add("\"deletable\": true");
        }
        if (!c.parents().isEmpty()) {
            List<String> parents = new ArrayList<>();
            for (BlockMeta.BlockDesc p : c.parents()) {
                StringBuilder o = new StringBuilder();
                object(o, List.of("\"ulid\": \"" + p.ulid() + "\"", "\"minTime\": " + p.minTime(), "\"maxTime\": " + p.maxTime()), "\t\t\t");
                parents.add(o.toString());
            }
            comp.add("\"parents\": " + array(parents, "\t\t"));
        }
        if (c.failed()) {
            comp.add("\"failed\": true");
        }
        if (!c.hints().isEmpty()) {
            List<String> hints = new ArrayList<>();
            for (String h : c.hints()) {
                StringBuilder q = new StringBuilder();
                io.specula.model.value.GoJson.quote(q, h);
                hints.add(q.toString());
            }
            comp.add("\"hints\": " + array(hints, "\t\t"));
        }
        sb.append("\t\"compaction\": ");
        object(sb, comp, "\t");
        sb.append(",\n");
        sb.append("\t\"version\": ").append(m.version()).append("\n}");
        return sb.toString();
    }

    private static void addCount(List<String> fields, String name, long v) {
        if (v != 0) {
            fields.add("\"" + name + "\": " + Long.toUnsignedString(v));
        }
    }

    /** An object whose opening brace is already indented and whose members sit at {@code indent + tab}. */
    private static void object(StringBuilder sb, List<String> members, String indent) {
        if (members.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append("{\n");
        for (int i = 0; i < members.size(); i++) {
            sb.append(indent).append('\t').append(members.get(i)).append(i + 1 < members.size() ? ",\n" : "\n");
        }
        sb.append(indent).append('}');
    }

    private static String array(List<String> elements, String indent) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < elements.size(); i++) {
            sb.append(indent).append('\t').append(elements.get(i)).append(i + 1 < elements.size() ? ",\n" : "\n");
        }
        return sb.append(indent).append(']').toString();
    }

    /** Parses meta.json text; {@code file} names it in errors. */
    public static BlockMeta parse(String json, String file) throws CorruptionException {
        Reader r = new Reader(json, file);
        Json.Node root = Json.parse(json, file);
        Map<String, Json.Node> o = r.object(root, "meta");
        int version = (int) r.integer(r.required(o, "version", root), "version", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (version != BlockMeta.VERSION_1) {
            throw Json.error(json, file, o.get("version").offset(), "unexpected meta file version " + version);
        }
        Ulid ulid = r.ulid(r.required(o, "ulid", root), "ulid");
        long minTime = r.integer(r.required(o, "minTime", root), "minTime", Long.MIN_VALUE, Long.MAX_VALUE);
        long maxTime = r.integer(r.required(o, "maxTime", root), "maxTime", Long.MIN_VALUE, Long.MAX_VALUE);

        BlockMeta.Stats stats = BlockMeta.Stats.EMPTY;
        Map<String, Json.Node> so = r.optionalObject(o, "stats");
        if (so != null) {
            stats = new BlockMeta.Stats(r.count(so, "numSamples"), r.count(so, "numFloatSamples"), r.count(so, "numHistogramSamples"),
                    r.count(so, "numSeries"), r.count(so, "numChunks"), r.count(so, "numTombstones"));
        }

        int level = 0;
        boolean deletable = false, failed = false;
        List<Ulid> sources = new ArrayList<>();
        List<BlockMeta.BlockDesc> parents = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        Map<String, Json.Node> co = r.optionalObject(o, "compaction");
        if (co != null) {
            Json.Node n = co.get("level");
            level = n == null || n.kind() == Json.Kind.NULL ? 0 : (int) r.integer(n, "compaction.level", Integer.MIN_VALUE, Integer.MAX_VALUE);
            for (Json.Node u : r.optionalArray(co, "sources")) {
                sources.add(r.ulid(u, "compaction.sources[]"));
            }
            deletable = r.bool(co, "deletable");
            for (Json.Node p : r.optionalArray(co, "parents")) {
                Map<String, Json.Node> po = r.object(p, "compaction.parents[]");
                parents.add(new BlockMeta.BlockDesc(r.ulid(r.required(po, "ulid", p), "compaction.parents[].ulid"),
                        r.integer(r.required(po, "minTime", p), "compaction.parents[].minTime", Long.MIN_VALUE, Long.MAX_VALUE),
                        r.integer(r.required(po, "maxTime", p), "compaction.parents[].maxTime", Long.MIN_VALUE, Long.MAX_VALUE)));
            }
            failed = r.bool(co, "failed");
            for (Json.Node h : r.optionalArray(co, "hints")) {
                if (h.kind() != Json.Kind.STRING) {
                    throw r.error(h, "compaction.hints[]: want a string");
                }
                hints.add(h.text());
            }
        }
        return new BlockMeta(ulid, minTime, maxTime, stats, new BlockMeta.Compaction(level, sources, deletable, parents, failed, hints), version);
    }

    /** Typed access to parsed nodes with errors that name the field. */
    private record Reader(String json, String file) {
        CorruptionException error(Json.Node n, String msg) {
            return Json.error(json, file, n.offset(), msg);
        }

        Map<String, Json.Node> object(Json.Node n, String what) throws CorruptionException {
            if (n.kind() != Json.Kind.OBJECT) {
                throw error(n, what + ": want an object, got " + n.kind().name().toLowerCase());
            }
            return n.object();
        }

        Json.Node required(Map<String, Json.Node> o, String key, Json.Node parent) throws CorruptionException {
            Json.Node n = o.get(key);
            if (n == null) {
                throw error(parent, "missing field \"" + key + "\"");
            }
            return n;
        }

        Map<String, Json.Node> optionalObject(Map<String, Json.Node> o, String key) throws CorruptionException {
            Json.Node n = o.get(key);
            return n == null || n.kind() == Json.Kind.NULL ? null : object(n, key);
        }

        List<Json.Node> optionalArray(Map<String, Json.Node> o, String key) throws CorruptionException {
            Json.Node n = o.get(key);
            if (n == null || n.kind() == Json.Kind.NULL) {
                return List.of();
            }
            if (n.kind() != Json.Kind.ARRAY) {
                throw error(n, key + ": want an array, got " + n.kind().name().toLowerCase());
            }
            return n.array();
        }

        boolean bool(Map<String, Json.Node> o, String key) throws CorruptionException {
            Json.Node n = o.get(key);
            if (n == null || n.kind() == Json.Kind.NULL) {
                return false;
            }
            if (n.kind() != Json.Kind.TRUE && n.kind() != Json.Kind.FALSE) {
                throw error(n, key + ": want true or false");
            }
            return n.kind() == Json.Kind.TRUE;
        }

        long integer(Json.Node n, String what, long min, long max) throws CorruptionException {
            if (n.kind() != Json.Kind.NUMBER) {
                throw error(n, what + ": want an integer, got " + n.kind().name().toLowerCase());
            }
            try {
                long v = Long.parseLong(n.text());
                if (v < min || v > max) {
                    throw error(n, what + ": " + v + " out of range");
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(n, what + ": want an integer, got " + n.text());
            }
        }

        long count(Map<String, Json.Node> o, String key) throws CorruptionException {
            Json.Node n = o.get(key);
            if (n == null || n.kind() == Json.Kind.NULL) {
                return 0;
            }
            if (n.kind() != Json.Kind.NUMBER || n.text().startsWith("-")) {
                throw error(n, "stats." + key + ": want an unsigned integer");
            }
            try {
                return Long.parseUnsignedLong(n.text());
            } catch (NumberFormatException e) {
                throw error(n, "stats." + key + ": want an unsigned 64-bit integer, got " + n.text());
            }
        }

        Ulid ulid(Json.Node n, String what) throws CorruptionException {
            if (n.kind() != Json.Kind.STRING) {
                throw error(n, what + ": want a ULID string");
            }
            try {
                return Ulid.parse(n.text());
            } catch (IllegalArgumentException e) {
                throw error(n, what + ": " + e.getMessage());
            }
        }
    }
}
