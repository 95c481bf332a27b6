package io.specula.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.MetricFamily;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The protobuf exposition's length-delimited stream on arbitrary bytes: it decodes or refuses with
 * an {@link IOException} (a hostile length prefix included, before allocating for it); whatever
 * decodes writes back to a stream that decodes to the same families.
 */
class DelimitedMetricFamiliesFuzzTest {
    private static final int LIMIT = 1 << 20;

    @FuzzTest(maxDuration = "10s")
    void read(byte[] body) throws IOException {
        List<MetricFamily> families;
        try {
            families = DelimitedMetricFamilies.readAll(new ByteArrayInputStream(body), LIMIT);
        } catch (IOException expected) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MetricFamily f : families) {
            DelimitedMetricFamilies.write(f, out);
        }
        List<MetricFamily> again = DelimitedMetricFamilies.readAll(new ByteArrayInputStream(out.toByteArray()), Integer.MAX_VALUE);
        if (!again.equals(families)) {
            throw new AssertionError("families change when written and read again");
        }
    }
}
