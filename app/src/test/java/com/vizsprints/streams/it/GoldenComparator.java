package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The golden comparison rules of {@code data/golden/README.md} (as tools/compare.py applies
 * them): integers and strings exact, floats the reference rounds exact (either neighbour at a
 * listed midpoint), other floats within the tolerance, extra fields allowed, and tied rows of
 * user-sessions in any order, also at the limit cut.
 */
public final class GoldenComparator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path goldenDir;
    private final JsonNode entry;
    private final List<Pattern> rounded = new ArrayList<>();
    private final double tolerance;
    private Map<String, JsonNode> fullRowsById;
    private Map<String, Integer> fullIndexById;
    private JsonNode fullMidpoints;

    public GoldenComparator(Path goldenDir, JsonNode entry, double tolerance) {
        this.goldenDir = goldenDir;
        this.entry = entry;
        this.tolerance = tolerance;
        entry.path("rounded").forEach(p -> rounded.add(patternOf(p.asText())));
    }

    /** @return null when equal, else the first difference */
    public String compare(JsonNode golden, JsonNode actual) {
        try {
            cmp(golden, actual, "", entry.path("midpoints"));
            return null;
        } catch (Mismatch m) {
            return m.getMessage();
        }
    }

    private static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private static Pattern patternOf(String p) {
        String rx = Pattern.quote(p).replace("[]", "\\E\\[\\d+\\]\\Q").replace("*", "\\E[^.\\[]*\\Q");
        return Pattern.compile(rx);
    }

    private static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String child(String path, int i) {
        return path + "[" + i + "]";
    }

    private void cmp(JsonNode g, JsonNode a, String path, JsonNode mids) {
        String where = "$" + (path.isEmpty() || path.startsWith("[") ? "" : ".") + path;
        if (g.isObject()) {
            if (!a.isObject()) {
                throw new Mismatch(where + ": expected an object, got " + a);
            }
            for (Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k)) {
                    throw new Mismatch(where + ": missing key " + k);
                }
                cmp(g.get(k), a.get(k), child(path, k), mids);
            }
        } else if (g.isArray()) {
            if (!a.isArray()) {
                throw new Mismatch(where + ": expected a list, got " + a);
            }
            JsonNode ties = entry.path("ties");
            if (!ties.isMissingNode() && path.equals(ties.path("list").asText())) {
                cmpTies(g, a, path, mids, ties);
                return;
            }
            if (g.size() != a.size()) {
                throw new Mismatch(where + ": expected " + g.size() + " items, got " + a.size());
            }
            for (int i = 0; i < g.size(); i++) {
                cmp(g.get(i), a.get(i), child(path, i), mids);
            }
        } else if (g.isBoolean() || g.isNull() || g.isTextual()) {
            if (!g.equals(a)) {
                throw new Mismatch(where + ": expected " + g + ", got " + a);
            }
        } else if (g.isIntegralNumber()) {
            if (!a.isNumber() || a.doubleValue() != g.doubleValue()) {
                throw new Mismatch(where + ": expected " + g + ", got " + a);
            }
        } else if (g.isFloatingPointNumber()) {
            if (!a.isNumber()) {
                throw new Mismatch(where + ": expected " + g + ", got " + a);
            }
            double gv = g.doubleValue();
            double av = a.doubleValue();
            if (isRounded(path)) {
                boolean ok = av == gv;
                if (!ok && mids.has(path)) {
                    for (JsonNode allowed : mids.get(path)) {
                        ok |= allowed.doubleValue() == av;
                    }
                }
                if (!ok) {
                    throw new Mismatch(where + ": expected " + gv + " (rounded by the reference), got " + av);
                }
            } else if (!(Math.abs(av - gv) <= tolerance)) {
                throw new Mismatch(where + ": expected " + gv + ", got " + av);
            }
        } else {
            throw new Mismatch(where + ": unsupported golden value " + g);
        }
    }

    private boolean isRounded(String path) {
        return rounded.stream().anyMatch(p -> p.matcher(path).matches());
    }

    private void cmpTies(JsonNode g, JsonNode a, String path, JsonNode mids, JsonNode ties) {
        String key = ties.get("key").asText();
        String id = ties.get("id").asText();
        String where = "$." + path;
        if (g.size() != a.size()) {
            throw new Mismatch(where + ": expected " + g.size() + " items, got " + a.size());
        }
        java.util.Set<String> seen = new HashSet<>();
        for (JsonNode row : a) {
            if (!seen.add(row.path(id).asText())) {
                throw new Mismatch(where + ": duplicate " + id + " " + row.path(id));
            }
        }
        boolean truncated = ties.has("limit") && g.size() == ties.get("limit").asLong();
        int s = 0;
        while (s < g.size()) {
            int e = s;
            while (e < g.size() && g.get(e).get(key).equals(g.get(s).get(key))) {
                e++;
            }
            Map<String, Integer> group = new HashMap<>();
            for (int i = s; i < e; i++) {
                group.put(g.get(i).get(id).asText(), i);
            }
            boolean last = e == g.size();
            for (int j = s; j < e; j++) {
                JsonNode item = a.get(j);
                Integer i = group.get(item.path(id).asText());
                if (i != null) {
                    cmp(g.get(i), item, child(path, i), mids);
                    continue;
                }
                if (last && truncated) {
                    loadFull(ties);
                    JsonNode full = fullRowsById.get(item.path(id).asText());
                    if (full == null || !full.get(key).equals(g.get(s).get(key))) {
                        throw new Mismatch(where + "[" + j + "]: " + item.path(id) + " is not tied at the limit cut");
                    }
                    cmp(full, item, child(path, fullIndexById.get(item.path(id).asText())), fullMidpoints);
                    continue;
                }
                throw new Mismatch(where + "[" + j + "]: expected one of " + group.keySet() + " (" + key + " "
                        + g.get(s).get(key) + "), got " + item.path(id));
            }
            s = e;
        }
    }

    private void loadFull(JsonNode ties) {
        if (fullRowsById != null) {
            return;
        }
        try {
            String name = ties.get("full").asText();
            JsonNode body = JSON.readTree(goldenDir.resolve(name).toFile());
            fullRowsById = new HashMap<>();
            fullIndexById = new HashMap<>();
            JsonNode rows = body.get(ties.get("list").asText());
            for (int i = 0; i < rows.size(); i++) {
                String rowId = rows.get(i).get(ties.get("id").asText()).asText();
                fullRowsById.put(rowId, rows.get(i));
                fullIndexById.put(rowId, i);
            }
            fullMidpoints = JSON.createObjectNode();
            for (JsonNode e : JSON.readTree(goldenDir.resolve("index.json").toFile()).get("requests")) {
                if (e.get("file").asText().equals(name)) {
                    fullMidpoints = e.path("midpoints");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
