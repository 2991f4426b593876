package com.vizsprints.streams.processor.logic;

import java.util.List;

/** The five funnel stages, in funnel order, as the reference defines them. */
public final class FunnelStages {
    public static final List<String> NAMES = List.of(
            "signup_success", "view_dashboard", "start_project", "complete_task", "invite_user");
    public static final int COUNT = NAMES.size();
    /** Index of {@code complete_task}, the event that makes a user "converted" in /api/metrics. */
    public static final int COMPLETE_TASK = NAMES.indexOf("complete_task");
    /** Marker for an event that is not a funnel stage. */
    public static final int NONE = -1;

    private FunnelStages() {
    }

    /** Index of an event name in the funnel, or {@link #NONE} (also for a missing name, null). */
    public static int indexOf(String eventName) {
        return eventName == null ? NONE : NAMES.indexOf(eventName);
    }

    /** {@code signup_success} becomes {@code Signup Success}, as Python's {@code str.title()} after replacing '_'. */
    public static String label(int stage) {
        String[] words = NAMES.get(stage).split("_");
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return sb.toString();
    }
}
