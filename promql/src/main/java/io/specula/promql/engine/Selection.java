package io.specula.promql.engine;

import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.AggregateOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The aggregations that keep input series: {@code topk}, {@code bottomk}, {@code limitk},
 * {@code limit_ratio}. Per group and step they pick members; the output is each picked input
 * series with values only at the steps where it was picked.
 */
final class Selection {
    private Selection() {}

    static List<StepSeries> select(Evaluator ev, AggregateExpr a, List<StepSeries> in, int[] groupOf, int groups,
            double[] param, int steps) {
        AggregateOp op = a.op();
        int n = in.size();
        StepSeries[] picked = new StepSeries[n];
        // Instant queries list results per group in selection order; remember it.
        List<List<Integer>> order = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            order.add(new ArrayList<>());
        }
        int[][] members = new int[groups][];
        int[] sizes = new int[groups];
        for (int s = 0; s < n; s++) {
            sizes[groupOf[s]]++;
        }
        for (int gi = 0; gi < groups; gi++) {
            members[gi] = new int[sizes[gi]];
            sizes[gi] = 0;
        }
        for (int s = 0; s < n; s++) {
            members[groupOf[s]][sizes[groupOf[s]]++] = s;
        }
        if (op == AggregateOp.LIMIT_RATIO) {
            for (double r : param) {
                if (Double.isNaN(r)) {
                    throw QueryException.badData("Ratio value is NaN");
                }
                if (r < -1 || r > 1) {
                    double capped = Math.max(-1, Math.min(1, r));
                    ev.ctx.warn("ratio value should be between -1 and 1, got " + GoStrings.formatG(r) + ", capping to "
                            + GoStrings.formatG(capped), a.param().position());
                    break;
                }
            }
        } else {
            for (double k : param) {
                if (Double.isNaN(k)) {
                    throw QueryException.badData("Parameter value is NaN");
                }
            }
        }
        Integer[] cand = new Integer[n];
        for (int i = 0; i < steps; i++) {
            ev.ctx.check();
            double p = param[i];
            for (int gi = 0; gi < groups; gi++) {
                int m = 0;
                boolean anyType = op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO; // these pick histograms too
                for (int s : members[gi]) {
                    StepSeries x = in.get(s);
                    if (x.has(i) || (anyType && x.histogram(i) != null)) {
                        cand[m++] = s;
                    }
                }
                if (m == 0) {
                    continue;
                }
                int take;
                final int step = i;
                switch (op) {
                    case TOPK, BOTTOMK -> {
                        long k = p >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) p;
                        if (k < 1) {
                            continue;
                        }
                        boolean top = op == AggregateOp.TOPK;
                        Arrays.sort(cand, 0, m, (x, y) -> {
                            double vx = in.get(x).v[step], vy = in.get(y).v[step];
                            if (Double.isNaN(vx)) {
                                return Double.isNaN(vy) ? 0 : 1;
                            }
                            if (Double.isNaN(vy)) {
                                return -1;
                            }
                            return top ? Double.compare(vy, vx) : Double.compare(vx, vy);
                        });
                        take = (int) Math.min(k, m);
                    }
                    case LIMITK -> {
                        long k = p >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) p;
                        if (k < 1) {
                            continue;
                        }
                        take = (int) Math.min(k, m);
                    }
                    default -> {
                        double r = Math.max(-1, Math.min(1, p));
                        int t = 0;
                        for (int c = 0; c < m; c++) {
                            double off = sampleOffset(in.get(cand[c]));
                            boolean keep = r >= 0 ? off < r : off >= 1 + r;
                            if (keep) {
                                cand[t++] = cand[c];
                            }
                        }
                        take = t;
                    }
                }
                for (int c = 0; c < take; c++) {
                    int s = cand[c];
                    StepSeries src = in.get(s);
                    if (picked[s] == null) {
                        picked[s] = new StepSeries(ev.ctx, src.labels, steps);
                        picked[s].dropName = src.dropName;
                        order.get(gi).add(s);
                    }
                    if (src.has(i)) {
                        picked[s].set(i, src.v[i]);
                    } else {
                        picked[s].setHistogram(i, src.histogram(i));
                    }
                }
            }
        }
        List<StepSeries> out = new ArrayList<>();
        for (List<Integer> grp : order) {
            for (int s : grp) {
                out.add(picked[s]);
            }
        }
        return out;
    }

    /**
     * The position of a series in [0, 1] as Prometheus computes it: its labels' hash
     * ({@code labels.Hash()}) as an unsigned number over the largest one, so that
     * {@code limit_ratio} picks the same series.
     */
    private static double sampleOffset(StepSeries s) {
        long h = s.labels.prometheusHash();
        // Unsigned to double with round-to-nearest, as Go's float64(uint64).
        double u = h >= 0 ? (double) h : ((double) ((h >>> 1) | (h & 1))) * 2.0;
        return u / 0x1.0p64;
    }
}
