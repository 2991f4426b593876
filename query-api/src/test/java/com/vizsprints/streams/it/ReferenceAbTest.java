package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.processor.logic.FunnelStages;
import com.vizsprints.streams.processor.model.EventRecord;
import com.vizsprints.streams.processor.model.UserRecord;
import com.vizsprints.streams.query.service.AbTestStatistics;
import com.vizsprints.streams.query.service.Rounding;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference's live /api/ab-test written as plainly as the pandas code reads: take the first
 * rows of the files, inner-join events to users, count. An oracle for order-dependent requests.
 */
final class ReferenceAbTest {
    private ReferenceAbTest() {
    }

    static JsonNode answer(List<UserRecord> usersInFileOrder, List<EventRecord> eventsInFileOrder,
                           Integer limit, Integer eventLimit, double confidence) {
        List<UserRecord> users = limit == null ? usersInFileOrder : usersInFileOrder.subList(0, Math.min(limit, usersInFileOrder.size()));
        List<EventRecord> events = eventLimit == null ? eventsInFileOrder
                : eventsInFileOrder.subList(0, Math.min(eventLimit, eventsInFileOrder.size()));
        Map<String, String> variantOf = new HashMap<>();
        users.forEach(u -> variantOf.put(u.userId(), u.abVariant()));

        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        for (String v : List.of("A", "B")) {
            long n = users.stream().filter(u -> u.abVariant().equals(v)).count();
            List<EventRecord> mine = events.stream().filter(e -> v.equals(variantOf.get(e.userId()))).toList();
            List<Map<String, Object>> funnel = new java.util.ArrayList<>();
            long lastStageUsers = 0;
            for (String stage : FunnelStages.NAMES) {
                Set<String> distinct = new HashSet<>();
                mine.stream().filter(e -> e.eventName().equals(stage)).forEach(e -> distinct.add(e.userId()));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("stage", stage);
                row.put("users", distinct.size());
                row.put("conversion_rate", n > 0 ? Rounding.python((double) distinct.size() / n * 100, 2) : 0);
                funnel.add(row);
                lastStageUsers = distinct.size();
            }
            Map<String, Object> variant = new LinkedHashMap<>();
            variant.put("total_users", n);
            variant.put("total_events", mine.size());
            variant.put("avg_events_per_user", n > 0 ? Rounding.python((double) mine.size() / n, 2) : 0);
            variant.put("funnel", funnel);
            out.put("variant_" + v, variant);
            counts.put(v, new long[]{n, lastStageUsers});
        }
        double avgA = ((Number) ((Map<?, ?>) out.get("variant_A")).get("avg_events_per_user")).doubleValue();
        double avgB = ((Number) ((Map<?, ?>) out.get("variant_B")).get("avg_events_per_user")).doubleValue();
        out.put("lift", counts.get("A")[0] > 0 ? Rounding.python((avgB - avgA) / avgA * 100, 2) : 0);
        long nA = counts.get("A")[0];
        long nB = counts.get("B")[0];
        out.put("stats", AbTestStatistics.compute(nA, nA > 0 ? (double) counts.get("A")[1] / nA : 0,
                nB, nB > 0 ? (double) counts.get("B")[1] / nB : 0, confidence));
        return new ObjectMapper().valueToTree(out);
    }
}
