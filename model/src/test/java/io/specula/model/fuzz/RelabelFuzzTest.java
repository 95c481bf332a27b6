package io.specula.model.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.config.ConfigException;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.model.relabel.InvalidRelabelConfigException;
import io.specula.model.relabel.RelabelConfig;
import io.specula.model.relabel.Relabeler;
import java.util.List;

/**
 * Relabel configurations from arbitrary YAML, applied to an arbitrary label set: loading refuses
 * with a {@link ConfigException} or {@link InvalidRelabelConfigException}; a rule that loads
 * never fails when it runs.
 */
class RelabelFuzzTest {
    /** The shape of a {@code relabel_configs} list in a file. */
    static final class Rules {
        public List<RelabelConfig> relabelConfigs;
    }

    @FuzzTest(maxDuration = "10s")
    void loadAndApply(FuzzedDataProvider data) {
        Labels labels = Labels.of("__address__", data.consumeString(40), "job", data.consumeString(20),
                "__meta_x", data.consumeString(40));
        Rules r;
        try {
            r = YamlConfigLoader.parse(data.consumeRemainingAsString(), "fuzz.yml", Rules.class);
            if (r == null || r.relabelConfigs == null) {
                return;
            }
            for (RelabelConfig c : r.relabelConfigs) {
                if (c == null) {
                    return;
                }
                c.validate();
            }
        } catch (ConfigException | InvalidRelabelConfigException expected) {
            return;
        }
        new Relabeler().process(labels, r.relabelConfigs);
    }
}
