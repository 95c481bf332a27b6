package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Directory listings of sysfs: the numbered entries ({@code cpu0}, {@code thermal_zone3}, …) of a directory. */
final class Dirs {
    private Dirs() {}

    /**
     * The entries named {@code prefix} followed by digits, in numeric order.
     *
     * @throws java.nio.file.NoSuchFileException when {@code dir} does not exist
     */
    static List<Path> numbered(Path dir, String prefix) throws IOException {
        List<Path> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isNumbered(p.getFileName().toString(), prefix))) {
            ds.forEach(l::add);
        }
        l.sort(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(prefix.length()))));
        return l;
    }

    /** The number after {@code prefix} in the entry's name. */
    static String number(Path entry, String prefix) {
        return entry.getFileName().toString().substring(prefix.length());
    }

    private static boolean isNumbered(String name, String prefix) {
        if (!name.startsWith(prefix) || name.length() == prefix.length() || name.length() - prefix.length() > 18) {
            return false;
        }
        for (int i = prefix.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
