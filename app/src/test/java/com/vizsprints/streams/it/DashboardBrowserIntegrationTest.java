package com.vizsprints.streams.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.query.http.SseReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page in a real browser (headless Debian chromium through chromium-driver) and
 * {@code /api/stream} over HTTP, on the sample data: every panel shows the API's numbers, no
 * console error, no failed request, and 10 more users replayed reach the page through the stream.
 * One broker and one application for the whole class. With {@code -Dvizsprints.dashboard.screenshot=PATH}
 * it writes a screenshot of the page there (the README's docs/dashboard.png).
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STREAMED = List.of("metrics", "funnel", "cohorts", "kpi-time-series", "ab-test", "user-sessions");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path work;
    private static Pipeline pipeline;
    private static ChromeDriver browser;
    private static SseReader stream;

    @BeforeAll
    static void start() throws Exception {
        pipeline = Pipeline.start(work);
        Path data = RepositoryData.sampleData();
        pipeline.replay(data.resolve("users.csv"), data.resolve("events.csv"));
        pipeline.awaitProcessed(1_000, 15_862, Duration.ofMinutes(3));
        browser = startBrowser();
    }

    @AfterAll
    static void stop() {
        if (stream != null) {
            stream.close();
        }
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    static ChromeDriver startBrowser() {
        ChromeOptions options = new ChromeOptions();
        String binary = System.getProperty("vizsprints.chromium", "/usr/bin/chromium");
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,2300",
                "--disable-dev-shm-usage", "--hide-scrollbars");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL", "performance", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("vizsprints.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    // ------------------------------------------------------------------ formatting, as the page formats

    private static String num(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "–";
        }
        DecimalFormat f = new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.US));
        return f.format(v.isIntegralNumber() ? (Object) v.longValue() : (Object) v.doubleValue());
    }

    private static String pct(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "–" : num(v) + "%";
    }

    private static JsonNode api(String pathAndQuery) throws Exception {
        Pipeline.Answer a = pipeline.get(pathAndQuery);
        assertEquals(200, a.status(), pathAndQuery + ": " + a.raw());
        return a.body();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> rows(String tableSelector) {
        return (List<List<String>>) js("return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
                + ".map(tr => Array.from(tr.cells).map(td => td.textContent));", tableSelector);
    }

    /** Waits until {@code check} passes (the page renders asynchronously); rethrows its last failure. */
    private static void eventually(String what, ThrowingRunnable check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(what + " within " + WAIT + ": " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------ panels against the API

    private static void assertKpis(JsonNode m) {
        assertEquals(num(m.get("total_users")), text("kpi-total_users"), "total users");
        assertEquals(num(m.get("active_users")), text("kpi-active_users"), "active users");
        assertEquals(pct(m.get("conversion_rate")), text("kpi-conversion_rate"), "conversion rate");
        assertEquals("$" + num(m.get("revenue")), text("kpi-revenue"), "revenue");
        assertEquals(num(m.get("avg_events_per_user")), text("kpi-avg_events_per_user"), "events per user");
        assertEquals(num(m.get("total_events")), text("kpi-total_events"), "total events");
    }

    private static void assertFunnel(JsonNode f) {
        List<List<String>> shown = new ArrayList<>();
        for (var row : browser.findElements(By.cssSelector("#funnel .funnel-row"))) {
            shown.add(List.of(row.getAttribute("data-stage"), row.findElement(By.className("users")).getText(),
                    row.findElement(By.className("from-total")).getText(), row.findElement(By.className("from-previous")).getText(),
                    row.findElement(By.className("drop-off")).getText()));
        }
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode s : f.get("funnel")) {
            expected.add(List.of(s.get("stage").asText(), num(s.get("users")), pct(s.get("conversion_from_total")),
                    pct(s.get("conversion_from_previous")), pct(s.get("drop_off"))));
        }
        assertEquals(expected, shown, "funnel stages");
        assertEquals(num(f.get("total_users")), text("funnel-total"));
    }

    private static void assertCohorts(JsonNode c) {
        int months = 0;
        for (JsonNode row : c.get("cohorts")) {
            for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.startsWith("month_")) {
                    months = Math.max(months, Integer.parseInt(k.substring(6)) + 1);
                }
            }
        }
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode row : c.get("cohorts")) {
            List<String> cells = new ArrayList<>(List.of(row.get("cohort").asText(), num(row.get("size"))));
            for (int i = 0; i < months; i++) {
                JsonNode v = row.get("month_" + i);
                cells.add(v == null ? "" : pct(v));
            }
            expected.add(cells);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, rows("#cohorts"), "cohort heatmap");
    }

    @SuppressWarnings("unchecked")
    private static void assertChart(JsonNode series, String key) {
        Map<String, Object> data = (Map<String, Object>) js("return window.vizDashboard.chartData;");
        assertNotNull(data, "chart data");
        assertEquals(key, data.get("series"));
        List<String> dates = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (JsonNode d : series) {
            dates.add(d.get("date").asText());
            values.add(d.get(key).asLong());
        }
        assertEquals(dates, data.get("dates"), "chart dates");
        assertEquals(values, ((List<Object>) data.get("values")).stream().map(v -> ((Number) v).longValue()).toList(), "chart " + key);
        assertFalse(browser.findElements(By.cssSelector("#ts-chart canvas")).isEmpty(), "uPlot drew a canvas");
    }

    private static void assertAb(JsonNode a) {
        assertEquals(pct(a.get("lift")), text("ab-lift"), "lift");
        JsonNode stats = a.get("stats");
        assertEquals(num(stats.get("z_score")), text("ab-z_score"), "z-score");
        assertEquals(num(stats.get("p_value")), text("ab-p_value"), "p-value");
        assertEquals(num(stats.get("power")), text("ab-power"), "power");
        assertEquals(num(JSON.getNodeFactory().numberNode(stats.get("confidence_level").asDouble() * 100)), text("ab-confidence_level").replace("%", ""));
        assertEquals(stats.get("significant").asBoolean() ? "Significant" : "Not significant", text("ab-significant"));
        List<List<String>> expected = new ArrayList<>();
        JsonNode fa = a.get("variant_A").get("funnel");
        JsonNode fb = a.get("variant_B").get("funnel");
        for (int i = 0; i < Math.max(fa.size(), fb.size()); i++) {
            expected.add(List.of(fa.get(i).get("stage").asText(), num(fa.get(i).get("users")), pct(fa.get(i).get("conversion_rate")),
                    num(fb.get(i).get("users")), pct(fb.get(i).get("conversion_rate"))));
        }
        for (String[] total : new String[][]{{"Total users", "total_users"}, {"Total events", "total_events"}, {"Events per user", "avg_events_per_user"}}) {
            expected.add(List.of(total[0], num(a.get("variant_A").get(total[1])), "", num(a.get("variant_B").get(total[1])), ""));
        }
        assertEquals(expected, rows("#ab-variants"), "A/B variants");
    }

    private static void assertSessions(JsonNode s) {
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode u : s.get("user_sessions")) {
            List<String> cells = new ArrayList<>();
            for (String k : List.of("user_id", "total_sessions", "total_hours", "avg_session_duration", "first_activity", "last_activity", "status")) {
                JsonNode v = u.get(k);
                cells.add(v == null || v.isNull() ? "–" : v.isNumber() ? num(v) : v.asText());
            }
            expected.add(cells);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, rows("#sessions"), "user sessions");
        assertEquals(num(s.get("total_users")), text("sessions-total"));
    }

    @Test
    @Order(1)
    void everyPanelShowsTheApiNumbers() throws Exception {
        browser.get(pipeline.baseUrl() + "/");
        eventually("the page receives pushes", () -> assertEquals("stream", js("return window.vizDashboard.mode;")));
        JsonNode health = api("/api/health");
        eventually("status", () -> {
            assertEquals(health.get("status").asText(), text("status-health"));
            assertEquals(num(health.get("pending_records")), text("status-pending"));
            assertTrue(text("status-push").startsWith("live"), text("status-push"));
            assertFalse(text("status-updated").equals("never"));
        });
        eventually("KPI cards", () -> assertKpis(api("/api/metrics")));
        eventually("funnel", () -> assertFunnel(api("/api/funnel")));
        eventually("cohorts", () -> assertCohorts(api("/api/cohorts")));
        eventually("DAU chart", () -> assertChart(api("/api/kpi-time-series"), "dau"));
        eventually("A/B panel", () -> assertAb(api("/api/ab-test")));
        eventually("user activity", () -> assertSessions(api("/api/user-sessions")));
        screenshot();

        browser.findElement(By.id("ts-signups")).click();
        eventually("signups chart", () -> assertChart(api("/api/kpi-time-series"), "signups"));
        browser.findElement(By.id("ts-dau")).click();

        // A/B live mode: confidence level, limit and event_limit.
        new Select(browser.findElement(By.id("ab-confidence"))).selectByValue("0.99");
        eventually("A/B at 99%", () -> assertAb(api("/api/ab-test?confidence_level=0.99")));
        new Select(browser.findElement(By.id("ab-confidence"))).selectByValue("0.95");
        browser.findElement(By.id("ab-limit")).sendKeys("300");
        browser.findElement(By.id("ab-event-limit")).sendKeys("4000");
        browser.findElement(By.id("ab-apply")).click();
        eventually("A/B with limits", () -> assertAb(api("/api/ab-test?limit=300&event_limit=4000")));
        // The calculator.
        browser.findElement(By.id("ab-mode-calc")).click();
        for (String[] input : new String[][]{{"ab-n-a", "1000"}, {"ab-conv-a", "10"}, {"ab-n-b", "1000"}, {"ab-conv-b", "12.5"}}) {
            browser.findElement(By.id(input[0])).clear();
            browser.findElement(By.id(input[0])).sendKeys(input[1]);
        }
        browser.findElement(By.id("ab-apply")).click();
        eventually("A/B calculator", () -> assertAb(api("/api/ab-test?manual_n_a=1000&manual_conv_a=10&manual_n_b=1000&manual_conv_b=12.5")));
        browser.findElement(By.id("ab-mode-live")).click();
        browser.findElement(By.id("ab-limit")).clear();
        browser.findElement(By.id("ab-event-limit")).clear();
        browser.findElement(By.id("ab-apply")).click();
        eventually("A/B back to defaults", () -> assertAb(api("/api/ab-test")));

        // The user activity table in its three orders: the select and the column headers.
        new Select(browser.findElement(By.id("sessions-sort"))).selectByValue("total_sessions");
        eventually("sessions by total_sessions", () -> assertSessions(api("/api/user-sessions?sort_by=total_sessions")));
        browser.findElement(By.cssSelector("#sessions th[data-column=last_activity]")).click();
        eventually("sessions by last_activity", () -> assertSessions(api("/api/user-sessions?sort_by=last_activity")));
        browser.findElement(By.cssSelector("#sessions th[data-column=total_hours]")).click();
        eventually("sessions by total_hours", () -> assertSessions(api("/api/user-sessions")));

        assertNoConsoleErrorNorFailedRequest();
    }

    @Test
    @Order(2)
    void streamSendsTheCurrentAnswersFirstAndNothingWhileNothingChanges() throws Exception {
        stream = new SseReader(pipeline.baseUrl() + "/api/stream", null);
        assertEquals(200, stream.status);
        Map<String, String> initial = new HashMap<>();
        while (initial.size() < STREAMED.size()) {
            SseReader.Event e = stream.nextEvent(WAIT);
            assertNotNull(e, "initial answers: got only " + initial.keySet());
            assertFalse(initial.containsKey(e.name()), e.name() + " twice without a change");
            initial.put(e.name(), e.data());
        }
        for (String name : STREAMED) {
            assertEquals(api("/api/" + name), JSON.readTree(initial.get(name)), name + " pushed as its GET answers");
        }
        List<SseReader.Event> quiet = stream.drain(Duration.ofSeconds(2));
        assertTrue(quiet.stream().allMatch(SseReader.Event::isComment), "events while nothing changed: " + quiet);
    }

    @Test
    @Order(3)
    void tenMoreUsersReachTheStreamAndThePageWithoutAReload() throws Exception {
        assertNotNull(stream, "the stream of the previous test");
        js("window.__notReloaded = true;");
        long pushesBefore = ((Number) js("return window.vizDashboard.pushes;")).longValue();
        assertEquals("1,000", text("kpi-total_users"));

        Path more = Files.createDirectories(work.resolve("more"));
        StringBuilder users = new StringBuilder("user_id,joined_at,device,country,subscription_status,ab_variant\n");
        StringBuilder events = new StringBuilder("event_id,user_id,event_name,timestamp,metadata\n");
        for (int i = 1; i <= 10; i++) {
            String id = String.format("u_90%02d", i);
            users.append(id).append(",2023-12-30T10:00:00Z,Mobile,US,Premium,").append(i % 2 == 0 ? "A" : "B").append('\n');
            events.append("e_dashboard_").append(i).append(',').append(id).append(",signup_success,2023-12-30T10:05:00Z,{}\n");
        }
        Files.writeString(more.resolve("users.csv"), users);
        Files.writeString(more.resolve("events.csv"), events);
        pipeline.replay(more.resolve("users.csv"), more.resolve("events.csv"));

        JsonNode pushed = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pushed == null || pushed.get("total_users").asInt() != 1_010 || pushed.get("total_events").asInt() != 15_872) {
            SseReader.Event e = stream.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            assertNotNull(e, "no metrics push with 1,010 users and 15,872 events; last: " + pushed);
            if (e.name().equals("metrics")) {
                pushed = JSON.readTree(e.data());
            }
        }

        eventually("KPI cards updated by the stream", () -> {
            assertEquals("1,010", text("kpi-total_users"));
            assertEquals("15,872", text("kpi-total_events"));
        });
        assertEquals(Boolean.TRUE, js("return window.__notReloaded === true;"), "the page was not reloaded");
        assertEquals("stream", js("return window.vizDashboard.mode;"), "updates came through the stream, not polling");
        assertTrue(((Number) js("return window.vizDashboard.pushes;")).longValue() > pushesBefore, "pushes received");
        pipeline.awaitProcessed(1_010, 15_872, WAIT);
        eventually("KPI cards equal the API after the replay", () -> assertKpis(api("/api/metrics")));
        assertNoConsoleErrorNorFailedRequest();
    }

    @Test
    @Order(4)
    void withoutTheStreamThePagePollsAndStillShowsTheApiNumbers() throws Exception {
        // The browser cannot reach /api/stream any more (as behind a proxy that drops it): the page must poll.
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/stream*")));
        try {
            browser.navigate().refresh();
            eventually("the page falls back to polling", () -> {
                assertEquals("polling", js("return window.vizDashboard.mode;"));
                assertTrue(text("status-push").startsWith("polling"), text("status-push"));
            });
            assertEquals(0L, ((Number) js("return window.vizDashboard.pushes;")).longValue(), "no push can arrive");
            eventually("KPI cards by polling", () -> assertKpis(api("/api/metrics")));
            eventually("funnel by polling", () -> assertFunnel(api("/api/funnel")));
            eventually("user activity by polling", () -> assertSessions(api("/api/user-sessions")));
        } finally {
            browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
    }

    private static void assertNoConsoleErrorNorFailedRequest() throws Exception {
        List<String> problems = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get("browser")) {
            if (e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                problems.add("console " + e.getLevel() + ": " + e.getMessage());
            }
        }
        for (LogEntry e : browser.manage().logs().get("performance")) {
            JsonNode message = JSON.readTree(e.getMessage()).path("message");
            String method = message.path("method").asText();
            JsonNode params = message.path("params");
            if (method.equals("Network.responseReceived")) {
                int status = params.path("response").path("status").asInt();
                if (status >= 400) {
                    problems.add("HTTP " + status + " " + params.path("response").path("url").asText());
                }
            } else if (method.equals("Network.loadingFailed")) {
                problems.add("request failed: " + params.path("errorText").asText() + " " + params.path("requestId").asText());
            }
        }
        Object pageErrors = js("return window.vizDashboard.errors;");
        assertEquals(List.of(), pageErrors, "errors the page recorded");
        assertEquals(List.of(), problems, "console errors and failed requests");
    }

    private static void screenshot() throws Exception {
        String target = System.getProperty("vizsprints.dashboard.screenshot");
        if (target == null || target.isBlank()) {
            return;
        }
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path out = Path.of(target).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.copy(shot.toPath(), out, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(out) > 10_000, "screenshot written to " + out);
    }
}
