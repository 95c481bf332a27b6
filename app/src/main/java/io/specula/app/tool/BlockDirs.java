package io.specula.app.tool;

import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMetaFormat;
import io.specula.tsdb.block.Ulid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The blocks of a data directory, as the tools see them: every sub-directory named by a ULID
 * that holds a {@code meta.json} (temporary directories of unfinished writes are not), opened
 * and sorted by min time as Prometheus orders them. A block that fails to open is reported on
 * {@code err} and left out. The caller owns the returned blocks and closes them.
 */
final class BlockDirs {
    private BlockDirs() {}

    static List<Block> open(Path dataDir, PrintWriter err) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            throw new NoSuchFileException(dataDir.toString(), null, "not a directory");
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(dataDir)) {
            dirs = s.filter(p -> isBlockDir(p)).sorted().toList();
        }
        List<Block> blocks = new ArrayList<>();
        for (Path d : dirs) {
            try {
                blocks.add(Block.open(d));
            } catch (IOException e) {
                err.println("warning: skipping block " + d + ": " + e.getMessage());
            }
        }
        blocks.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()).thenComparing(b -> b.meta().ulid()));
        return blocks;
    }

    private static boolean isBlockDir(Path p) {
        if (!Files.isDirectory(p) || !Files.exists(p.resolve(BlockMetaFormat.FILENAME))) {
            return false;
        }
        try {
            Ulid.parse(p.getFileName().toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void closeAll(List<Block> blocks) {
        for (Block b : blocks) {
            b.close();
        }
    }
}
