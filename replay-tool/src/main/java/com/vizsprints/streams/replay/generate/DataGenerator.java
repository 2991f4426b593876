package com.vizsprints.streams.replay.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Writes a synthetic {@code users.csv} and {@code events.csv} in exactly the format of the sample
 * data ({@code data/sample/}) for any number of users. The output depends only on the options:
 * the same seed and options give byte-identical files (randomness comes from
 * {@link SplittableRandom}s derived from the seed, never from the clock; only {@link StrictMath}
 * is used, so the numbers are the same on every JVM).
 *
 * <h2>Format</h2>
 * <ul>
 *   <li>users.csv: {@code user_id,joined_at,device,country,subscription_status,ab_variant}, one
 *       row per user in user id order; ids {@code u_0001}, {@code u_0002}, ... zero-padded to the
 *       number of digits of the user count (at least 4, as in the sample: {@code u_0000001} for a
 *       million users).</li>
 *   <li>events.csv: {@code event_id,user_id,event_name,timestamp,metadata}; timestamps
 *       {@code YYYY-MM-DDTHH:MM:SSZ}; ids {@code e_1}, {@code e_2}, ... numbered in time order
 *       (ties by user); metadata a CSV-quoted JSON object with the sample's keys per event
 *       name, e.g. {@code "{""source"": ""organic"", ""variant"": ""A""}"}.</li>
 *   <li>Lines end with {@code \n}; the files are ASCII.</li>
 * </ul>
 *
 * <h2>Shape (modelled on the sample's statistics)</h2>
 * <ul>
 *   <li>Users join uniformly over 2023; device Mobile 59% / Desktop 31.5% / Tablet 9.5%; ten
 *       countries with the sample's shares (US 28%, IN 20%, ...); plans Free 70% / Premium
 *       23.5% / Enterprise 6.5%; variants A and B half and half.</li>
 *   <li>Onboarding: {@code signup_success} 0-5 minutes after {@code joined_at} (metadata
 *       {@code source}), then the funnel {@code view_dashboard > start_project > complete_task >
 *       invite_user}, each stage reached with a per-variant probability given the previous one
 *       (A: 91/79/78/80%, B: 95/83/83/83%, so B converts better: about 56% vs 65% of users reach
 *       {@code complete_task}). The first event of each stage carries {@code funnel_stage} and
 *       comes after the previous stage's, 1-25 minutes later in the same session or in a later
 *       session.</li>
 *   <li>Activity after onboarding: 20% of users never come back; the others have a heavy-tailed
 *       number of sessions (exponential with a log-normal, plan- and device-dependent mean).
 *       A session is a burst of 1 + geometric(0.45) events 20 s to 15 min apart; sessions are
 *       more than 30 minutes apart (31 min plus a log-normal gap, median 2 days), so the
 *       reference's 30-minute session split recovers them. Activity events are drawn uniformly
 *       from the funnel stages the user has reached and {@code create_chart},
 *       {@code upgrade_subscription}, {@code export_data}, {@code share_report},
 *       {@code delete_project}, so a user's first event of each funnel stage stays in funnel
 *       order and funnel counts never increase along the funnel. About 15 events per user.</li>
 *   <li>Nothing happens before the user's {@code joined_at} or after 2023-12-31T23:59:59Z (a
 *       user's history is cut at the end of the year).</li>
 * </ul>
 *
 * <h2>Ordering at scale (constant memory per user)</h2>
 * Users are generated one at a time, each from its own random stream, and written straight to
 * users.csv; their events are never held in memory. Each event is packed into one {@code long}
 * (second of the year, user index, event name, metadata choice, variant; ordering the longs
 * orders the events by time, then user) and appended to a temporary binary file for its UTC day
 * (365 files of 8 bytes per event, about 120 MB for a million users; small outputs use fewer
 * files, each a run of consecutive days). Then, day by day, the day's longs are read into an
 * array, sorted in memory and formatted into events.csv, numbering the events. Memory is one day
 * of events (about 0.4 MB per 10,000 users) plus 16 KB write buffers per day, so a million users
 * (about 15 million events, 1.4 GB) run comfortably in {@code -Xmx512m}. Per-day buckets were
 * chosen over per-month ones so that memory stays small even for tens of millions of users.
 *
 * <p>With {@code shuffle}, the time-ordered, numbered events are scattered into temporary
 * files chosen at random (about a million events each) instead of being formatted; each of
 * those is then shuffled in memory (Fisher-Yates) and appended to events.csv. This
 * scatter-then-shuffle scheme (Rao-Sandelius) gives a uniformly random order, and the rows
 * (event ids included) are exactly those of the time-ordered file for the same seed.
 *
 * <p>The temporary files live in a hidden directory inside the output directory and are
 * deleted when generation ends.
 */
public final class DataGenerator {
    /** At most this many users: the user index takes 29 bits of an event's packed form. */
    public static final int MAX_USERS = (1 << 29) - 1;
    public static final String USERS_FILE = "users.csv";
    public static final String EVENTS_FILE = "events.csv";
    public static final String USERS_HEADER = "user_id,joined_at,device,country,subscription_status,ab_variant";
    public static final String EVENTS_HEADER = "event_id,user_id,event_name,timestamp,metadata";

    /** The funnel, in order. */
    public static final List<String> FUNNEL =
            List.of("signup_success", "view_dashboard", "start_project", "complete_task", "invite_user");

    /** Every event name; the index is the name's code, the first five are {@link #FUNNEL}. */
    public static final List<String> EVENT_NAMES = List.of("signup_success", "view_dashboard", "start_project",
            "complete_task", "invite_user", "create_chart", "upgrade_subscription", "export_data", "share_report",
            "delete_project");

    static final int YEAR = 2023;
    static final int DAYS = 365;
    static final int DAY_SECONDS = 86_400;
    static final int YEAR_SECONDS = DAYS * DAY_SECONDS;

    // ---- the packed event: second of year (25 bits) | user (29) | name (4) | meta (5) = 63 bits
    private static final int META_BITS = 5;
    private static final int NAME_SHIFT = META_BITS;
    private static final int USER_SHIFT = NAME_SHIFT + 4;
    private static final int TIME_SHIFT = USER_SHIFT + 29;
    /** Meta bit: the user is in variant B. The low 4 bits choose the metadata's other value. */
    private static final int META_VARIANT_B = 1 << 4;

    private static final int SIGNUP = 0;
    private static final int CREATE_CHART = 5;
    private static final int UPGRADE_SUBSCRIPTION = 6;
    private static final int EXPORT_DATA = 7;
    private static final int FIRST_OTHER = CREATE_CHART;
    private static final int OTHER_EVENTS = EVENT_NAMES.size() - FIRST_OTHER;

    // ---- user attributes (shares from the sample)
    private static final String[] DEVICES = {"Mobile", "Desktop", "Tablet"};
    private static final double[] DEVICE_WEIGHTS = {59.1, 31.5, 9.4};
    private static final double[] DEVICE_ACTIVITY = {1.0, 1.25, 0.85};
    private static final String[] COUNTRIES = {"US", "IN", "CA", "UK", "DE", "AU", "BR", "FR", "JP", "SG"};
    private static final double[] COUNTRY_WEIGHTS = {28.0, 20.2, 9.1, 8.3, 7.0, 6.9, 5.9, 5.2, 5.2, 4.2};
    private static final String[] PLANS = {"Free", "Premium", "Enterprise"};
    private static final double[] PLAN_WEIGHTS = {70.3, 23.5, 6.2};
    private static final double[] PLAN_ACTIVITY = {1.0, 1.1, 1.35};
    private static final String[] VARIANTS = {"A", "B"};

    // ---- metadata values (from the sample)
    private static final String[] SOURCES = {"organic", "ads", "referral", "social"};
    private static final double[] SOURCE_WEIGHTS = {40.6, 30.0, 19.4, 10.0};
    private static final String[] UPGRADE_PLANS = {"Premium", "Enterprise"};
    private static final String[] FORMATS = {"pdf", "json", "csv"};
    private static final String[] CHART_TYPES = {"bar", "scatter", "pie", "line"};

    // ---- funnel: probability of reaching stage k+1 given stage k, per variant
    private static final double[][] STAGE_CONTINUE = {
            {0.91, 0.79, 0.78, 0.80},   // A
            {0.95, 0.83, 0.83, 0.83}};  // B
    /** Probability that the next onboarding stage follows in the same session. */
    private static final double ONBOARDING_SAME_SESSION = 0.75;

    // ---- activity
    private static final double CHURN = 0.20;
    private static final double MEAN_SESSIONS = 10.4;
    private static final double SESSIONS_SIGMA = 0.8;
    private static final int MAX_SESSIONS = 400;
    private static final double MORE_EVENTS_IN_SESSION = 0.45;
    private static final int MAX_SESSION_EVENTS = 20;
    private static final int MIN_IN_SESSION_GAP = 20;
    private static final int MAX_IN_SESSION_GAP = 15 * 60;
    private static final int MIN_SESSION_GAP = 31 * 60;
    private static final double SESSION_GAP_MEDIAN = 64 * 3600;
    private static final double SESSION_GAP_SIGMA = 1.5;

    /** Users per time bucket for outputs of fewer than 365 buckets. */
    private static final int USERS_PER_BUCKET = 2_000;

    /** Events per shuffle bin (16 bytes each in memory while it is shuffled). */
    static final long SHUFFLE_BIN_EVENTS = 1 << 20;

    private static final long SHUFFLE_SALT = 0x53485546464c45L;

    /** {@code METADATA[name][meta]}: the CSV field (quoted JSON) of each packed metadata choice. */
    private static final String[][] METADATA = metadataTable();
    private static final String[] DAY_PREFIX = dayPrefixes();

    /** What was written. */
    public record Result(long users, long events, Path usersFile, Path eventsFile) {
    }

    private DataGenerator() {
    }

    /** Writes users.csv and events.csv into {@code options.out()}, replacing existing ones. */
    public static Result generate(GeneratorOptions options) throws IOException {
        Path out = options.out();
        Files.createDirectories(out);
        Path usersFile = out.resolve(USERS_FILE);
        Path eventsFile = out.resolve(EVENTS_FILE);
        Path temp = Files.createTempDirectory(out, ".generate-");
        try {
            LongSpool[] days = new LongSpool[bucketCount(options.users())];
            for (int d = 0; d < days.length; d++) {
                days[d] = new LongSpool(temp.resolve("time-" + d + ".bin"));
            }
            try {
                writeUsers(options, usersFile, days);
            } finally {
                closeAll(days);
            }
            long events = options.shuffle()
                    ? writeShuffledEvents(options.seed(), eventsFile, days, temp, options.users())
                    : writeSortedEvents(eventsFile, days, options.users());
            return new Result(options.users(), events, usersFile, eventsFile);
        } finally {
            deleteTree(temp);
        }
    }

    // ------------------------------------------------------------------------------- users

    private static void writeUsers(GeneratorOptions options, Path usersFile, LongSpool[] days) throws IOException {
        int width = idWidth(options.users());
        try (LineWriter users = writer(usersFile)) {
            users.append(USERS_HEADER).endLine();
            for (int u = 0; u < options.users(); u++) {
                generateUser(u, new SplittableRandom(userSeed(options.seed(), u)), width, users, days);
            }
        }
    }

    /** Writes user {@code u}'s row and spools its events. */
    private static void generateUser(int u, SplittableRandom rng, int width, LineWriter users, LongSpool[] days)
            throws IOException {
        int joined = rng.nextInt(YEAR_SECONDS);
        int device = pick(rng, DEVICE_WEIGHTS);
        int country = pick(rng, COUNTRY_WEIGHTS);
        int plan = pick(rng, PLAN_WEIGHTS);
        int variant = rng.nextInt(2);

        appendUserId(users, u, width).append(',');
        appendTimestamp(users, joined).append(',').append(DEVICES[device]).append(',').append(COUNTRIES[country])
                .append(',').append(PLANS[plan]).append(',').append(VARIANTS[variant]);
        users.endLine();

        int variantBit = variant == 1 ? META_VARIANT_B : 0;
        // onboarding: signup, then the funnel stages reached, in order
        int t = joined + rng.nextInt(Math.min(301, YEAR_SECONDS - joined));
        spool(days, t, u, SIGNUP, variantBit | pick(rng, SOURCE_WEIGHTS));
        int reached = 1;
        while (reached < FUNNEL.size() && rng.nextDouble() < STAGE_CONTINUE[variant][reached - 1]) {
            t += rng.nextDouble() < ONBOARDING_SAME_SESSION
                    ? 60 + rng.nextInt(25 * 60 - 60 + 1)
                    : sessionGap(rng);
            if (t >= YEAR_SECONDS) {
                return;
            }
            spool(days, t, u, reached, variantBit | 1);
            reached++;
        }

        // activity: sessions of events drawn from the reached stages and the other events
        if (rng.nextDouble() < CHURN) {
            return;
        }
        double mean = MEAN_SESSIONS * PLAN_ACTIVITY[plan] * DEVICE_ACTIVITY[device]
                * StrictMath.exp(SESSIONS_SIGMA * gaussian(rng) - SESSIONS_SIGMA * SESSIONS_SIGMA / 2);
        int sessions = (int) Math.min(MAX_SESSIONS, 1 + StrictMath.floor(-mean * StrictMath.log(1 - rng.nextDouble())));
        int pool = (reached - 1) + OTHER_EVENTS;
        for (int s = 0; s < sessions; s++) {
            t += sessionGap(rng);
            int size = 1;
            while (size < MAX_SESSION_EVENTS && rng.nextDouble() < MORE_EVENTS_IN_SESSION) {
                size++;
            }
            for (int e = 0; e < size; e++) {
                if (e > 0) {
                    t += MIN_IN_SESSION_GAP + rng.nextInt(MAX_IN_SESSION_GAP - MIN_IN_SESSION_GAP + 1);
                }
                if (t >= YEAR_SECONDS) {
                    return;
                }
                int pick = rng.nextInt(pool);
                int name = pick < reached - 1 ? pick + 1 : FIRST_OTHER + pick - (reached - 1);
                spool(days, t, u, name, variantBit | metaChoice(rng, name));
            }
        }
    }

    private static int metaChoice(SplittableRandom rng, int name) {
        switch (name) {
            case CREATE_CHART:
                return rng.nextInt(CHART_TYPES.length);
            case UPGRADE_SUBSCRIPTION:
                return rng.nextInt(UPGRADE_PLANS.length);
            case EXPORT_DATA:
                return rng.nextInt(FORMATS.length);
            default:
                return 0;
        }
    }

    /** More than 30 minutes: 31 minutes plus a log-normal gap. */
    private static int sessionGap(SplittableRandom rng) {
        double gap = SESSION_GAP_MEDIAN * StrictMath.exp(SESSION_GAP_SIGMA * gaussian(rng));
        return MIN_SESSION_GAP + (int) Math.min(gap, YEAR_SECONDS);
    }

    private static void spool(LongSpool[] days, int second, int user, int name, int meta) throws IOException {
        days[(int) ((long) second * days.length / YEAR_SECONDS)].add(pack(second, user, name, meta));
    }

    /**
     * The number of time buckets: one per day of the year, fewer (each a run of consecutive
     * days) for small outputs, about 2,000 users (30,000 events) per bucket.
     */
    static int bucketCount(int users) {
        return Math.max(1, Math.min(DAYS, users / USERS_PER_BUCKET));
    }

    static long pack(int second, int user, int name, int meta) {
        return ((long) second << TIME_SHIFT) | ((long) user << USER_SHIFT) | ((long) name << NAME_SHIFT) | meta;
    }

    // ------------------------------------------------------------------------------ events

    private static long writeSortedEvents(Path eventsFile, LongSpool[] days, int users) throws IOException {
        int width = idWidth(users);
        long id = 0;
        try (LineWriter events = writer(eventsFile)) {
            events.append(EVENTS_HEADER).endLine();
            for (LongSpool day : days) {
                long[] packed = LongSpool.readAll(day.file());
                Files.deleteIfExists(day.file());
                Arrays.sort(packed);
                for (long event : packed) {
                    writeEvent(events, ++id, event, width);
                }
            }
        }
        return id;
    }

    private static long writeShuffledEvents(long seed, Path eventsFile, LongSpool[] days, Path temp, int users)
            throws IOException {
        long total = 0;
        for (LongSpool day : days) {
            total += day.count();
        }
        int binCount = (int) Math.max(1, (total + SHUFFLE_BIN_EVENTS - 1) / SHUFFLE_BIN_EVENTS);
        SplittableRandom rng = new SplittableRandom(mix(seed ^ SHUFFLE_SALT));
        LongSpool[] bins = new LongSpool[binCount];
        for (int b = 0; b < binCount; b++) {
            bins[b] = new LongSpool(temp.resolve("bin-" + b + ".bin"));
        }
        long id = 0;
        try {
            for (LongSpool day : days) {
                long[] packed = LongSpool.readAll(day.file());
                Files.deleteIfExists(day.file());
                Arrays.sort(packed);
                for (long event : packed) {
                    LongSpool bin = bins[rng.nextInt(binCount)];
                    bin.add(++id);
                    bin.add(event);
                }
            }
        } finally {
            closeAll(bins);
        }
        int width = idWidth(users);
        try (LineWriter events = writer(eventsFile)) {
            events.append(EVENTS_HEADER).endLine();
            for (LongSpool bin : bins) {
                long[] pairs = LongSpool.readAll(bin.file());
                Files.deleteIfExists(bin.file());
                int n = pairs.length / 2;
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    long id0 = pairs[2 * i];
                    long ev0 = pairs[2 * i + 1];
                    pairs[2 * i] = pairs[2 * j];
                    pairs[2 * i + 1] = pairs[2 * j + 1];
                    pairs[2 * j] = id0;
                    pairs[2 * j + 1] = ev0;
                }
                for (int i = 0; i < n; i++) {
                    writeEvent(events, pairs[2 * i], pairs[2 * i + 1], width);
                }
            }
        }
        return id;
    }

    private static void writeEvent(LineWriter events, long id, long packed, int width) throws IOException {
        int second = (int) (packed >>> TIME_SHIFT);
        int user = (int) ((packed >>> USER_SHIFT) & ((1 << 29) - 1));
        int name = (int) ((packed >>> NAME_SHIFT) & 0xF);
        int meta = (int) (packed & ((1 << META_BITS) - 1));
        events.append("e_").append(id).append(',');
        appendUserId(events, user, width).append(',').append(EVENT_NAMES.get(name)).append(',');
        appendTimestamp(events, second).append(',').append(METADATA[name][meta]);
        events.endLine();
    }

    // ----------------------------------------------------------------------------- helpers

    /** Digits of a user id: those of the user count, at least 4 (the sample's {@code u_0001}). */
    static int idWidth(int users) {
        return Math.max(4, LineWriter.digits(users));
    }

    private static LineWriter appendUserId(LineWriter w, int userIndex, int width) {
        return w.append("u_").appendPadded(userIndex + 1L, width);
    }

    private static LineWriter appendTimestamp(LineWriter w, int secondOfYear) {
        return w.append(DAY_PREFIX[secondOfYear / DAY_SECONDS]).appendTimeOfDay(secondOfYear % DAY_SECONDS);
    }

    private static LineWriter writer(Path file) throws IOException {
        return new LineWriter(new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.US_ASCII), 1 << 16));
    }

    private static int pick(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** A standard normal value (Box-Muller, one of the pair), reproducible on every JVM. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    private static long userSeed(long seed, int user) {
        return mix(mix(seed) + 0x9E3779B97F4A7C15L * (user + 1L));
    }

    /** The 64-bit finaliser of MurmurHash3. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    private static void closeAll(LongSpool[] spools) throws IOException {
        IOException failure = null;
        for (LongSpool spool : spools) {
            try {
                spool.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static String[][] metadataTable() {
        String[][] table = new String[EVENT_NAMES.size()][1 << META_BITS];
        for (int name = 0; name < EVENT_NAMES.size(); name++) {
            for (int meta = 0; meta < (1 << META_BITS); meta++) {
                String variant = VARIANTS[(meta & META_VARIANT_B) != 0 ? 1 : 0];
                int choice = meta & (META_VARIANT_B - 1);
                String json;
                if (name == SIGNUP) {
                    json = choice < SOURCES.length
                            ? "{\"source\": \"" + SOURCES[choice] + "\", \"variant\": \"" + variant + "\"}" : null;
                } else if (name < FUNNEL.size()) {
                    json = choice == 1 ? "{\"funnel_stage\": " + (name + 1) + ", \"variant\": \"" + variant + "\"}"
                            : choice == 0 ? "{\"variant\": \"" + variant + "\"}" : null;
                } else if (name == CREATE_CHART) {
                    json = extra(variant, "chart_type", CHART_TYPES, choice);
                } else if (name == UPGRADE_SUBSCRIPTION) {
                    json = extra(variant, "plan", UPGRADE_PLANS, choice);
                } else if (name == EXPORT_DATA) {
                    json = extra(variant, "format", FORMATS, choice);
                } else {
                    json = choice == 0 ? "{\"variant\": \"" + variant + "\"}" : null;
                }
                table[name][meta] = json == null ? null : "\"" + json.replace("\"", "\"\"") + "\"";
            }
        }
        return table;
    }

    private static String extra(String variant, String key, String[] values, int choice) {
        return choice < values.length
                ? "{\"variant\": \"" + variant + "\", \"" + key + "\": \"" + values[choice] + "\"}" : null;
    }

    private static String[] dayPrefixes() {
        String[] prefixes = new String[DAYS];
        LocalDate date = LocalDate.of(YEAR, 1, 1);
        for (int d = 0; d < DAYS; d++, date = date.plusDays(1)) {
            prefixes[d] = date + "T";
        }
        return prefixes;
    }
}
