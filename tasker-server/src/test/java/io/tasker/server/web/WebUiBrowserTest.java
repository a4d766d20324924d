package io.tasker.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.api.ApiToken;
import io.tasker.server.api.ApiTokens;
import io.tasker.server.api.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI in a real browser: Debian's {@code chromium}, headless, driven by Selenium through
 * {@code chromedriver} (package chromium-driver), against a running Tasker whose API is protected
 * by tokens, with a real worker running the example handlers. An operator meets the 401 (the
 * token dialog), finds a failed task in the list, opens it, reads the error, is refused a retry
 * with a read token (403), retries with a write token, and sees the task complete.
 *
 * <p>Skipped only where chromium or chromedriver is not installed; {@code .ci/run} installs both.
 */
class WebUiBrowserTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Makes each task's context its own: templates take the same context twice as the same task. */
    private static final AtomicInteger TASKS = new AtomicInteger();

    private static RunningTasker tasker;
    private static Http writer;
    private static String readToken;
    private static String writeToken;

    private ChromeDriver browser;
    private Path profile;
    private WebDriverWait wait;

    @BeforeAll
    static void start() {
        ApiToken.Created reader = ApiToken.create("ui-reader", Scope.READ);
        ApiToken.Created writing = ApiToken.create("ui-writer", Scope.WRITE);
        readToken = reader.token();
        writeToken = writing.token();
        tasker = RunningTasker.start(new ApiSettings(ApiTokens.of(List.of(reader.apiToken(), writing.apiToken())),
                List.of(), List.of()));
        writer = new Http(tasker.url()).withToken(writeToken);
    }

    @AfterAll
    static void stop() {
        if (tasker != null) {
            tasker.close();
        }
    }

    @BeforeEach
    void openBrowser() throws IOException {
        Path chromium = Programs.onPath("chromium");
        Path driver = Programs.onPath("chromedriver");
        assumeTrue(chromium != null && driver != null, "chromium or chromedriver is not installed (Debian: apt-get "
                + "install chromium chromium-driver; .ci/run installs them), so the web UI's browser test is skipped");
        profile = Files.createTempDirectory("tasker-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // A fresh profile and no traffic of its own: the machine may have no internet, and tests must not share state.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, PATIENCE);
        // The pages redraw parts that change while a test looks at them.
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            try {
                assertNoScriptErrors();
            } finally {
                browser.quit();
                deleteProfile();
            }
        }
    }

    @Test
    void anOperatorFindsAFailedTaskReadsItsErrorAndRetriesItToCompletion() {
        String failed = failedOrder();
        String other = linearTask();
        new Tasks(writer).awaitFinished(other);

        browser.get(tasker.url() + "/ui");
        WebElement dialog = openDialog();
        assertThat(dialog.getText()).as("the API's 401, shown in the token dialog")
                .contains("This Tasker needs an API token").contains("GET /v1/tasks needs an API token");
        enterToken(readToken);

        wait.until(ExpectedConditions.visibilityOfElementLocated(row(other)));
        new Select(browser.findElement(By.id("filter-state"))).selectByValue("error");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(row(other)));
        assertThat(browser.getCurrentUrl()).endsWith("/ui?state=error");
        WebElement listed = browser.findElement(row(failed));
        assertThat(listed.findElement(By.cssSelector(".error-cell")).getText())
                .isEqualTo("process_payment: payment gateway unavailable (simulated failure 5 of 7)");

        listed.findElement(By.cssSelector("td[data-label=Task] a")).click();
        WebElement failedStep = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#failed-steps li[data-step=process_payment]")));
        assertThat(failedStep.getText()).contains("payment gateway unavailable (simulated failure 5 of 7)")
                .contains("after 5 of 5 attempts");
        failedStep.findElement(By.cssSelector("button.link")).click();
        assertThat(attemptErrors()).containsExactly(
                "payment gateway unavailable (simulated failure 1 of 7)",
                "payment gateway unavailable (simulated failure 2 of 7)",
                "payment gateway unavailable (simulated failure 3 of 7)",
                "payment gateway unavailable (simulated failure 4 of 7)",
                "payment gateway unavailable (simulated failure 5 of 7)");
        assertThat(browser.findElements(By.cssSelector("#gantt rect.bar[data-step=process_payment]"))).hasSize(5);

        pressRetry("with a read token");
        WebElement refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog[open] .problem")));
        assertThat(refusal.getText()).as("the API's 403, shown in the dialog")
                .contains("needs a token of scope write or more; the token ui-reader has scope read");
        browser.findElement(By.cssSelector("dialog[open] button[value=cancel]")).click();
        assertThat(writer.get("/v1/tasks/" + failed).json().get("state").asText()).isEqualTo("error");

        browser.findElement(By.id("token-button")).click();
        openDialog();
        enterToken(writeToken);
        pressRetry("the gateway is back");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));

        wait.until(ExpectedConditions.textToBe(By.cssSelector("#title .badge"), "complete"));
        JsonNode task = writer.get("/v1/tasks/" + failed).json();
        assertThat(task.get("state").asText()).isEqualTo("complete");
        assertThat(Tasks.step(task, "process_payment").get("attempts").asInt()).isEqualTo(8);
        wait.until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("#gantt rect.bar[data-step=process_payment]"), 8));
        assertThat(browser.findElement(By.cssSelector(".history tr.operator")).getText())
                .contains("retry by ui-writer: the gateway is back");
        assertThat(browser.findElement(By.id("attention")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#task-actions button"))).as("a complete task has no action")
                .isEmpty();
    }

    @Test
    void aForgottenTokenIsAskedForAgainAndCancellingSaysWhatIsMissing() {
        browser.get(tasker.url() + "/ui/templates");
        openDialog();
        enterToken(readToken);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-template]")));
        assertThat(browser.findElement(By.id("token-button")).getText()).isEqualTo("API token: set");

        browser.findElement(By.id("token-button")).click();
        openDialog();
        browser.findElement(By.cssSelector("dialog[open] button[value=forget]")).click();

        WebElement asked = openDialog();
        assertThat(asked.getText()).contains("GET /v1/templates needs an API token");
        browser.findElement(By.cssSelector("dialog[open] button[value=cancel]")).click();
        WebElement status = browser.findElement(By.id("status"));
        wait.until(ExpectedConditions.textToBePresentInElement(status, "Enter a token with the API token button"));
        assertThat(status.getAttribute("class")).contains("problem");
        assertThat(browser.findElement(By.id("token-button")).getText()).isEqualTo("API token");
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void theListPagesThroughTheApisCursorsBothWays() {
        for (int i = 0; i < 3; i++) {
            linearTask();
        }
        JsonNode newest = writer.get("/v1/tasks?limit=3").json().get("tasks");

        browser.get(tasker.url() + "/ui?limit=1");
        openDialog();
        enterToken(readToken);
        assertThat(shownTask()).isEqualTo(newest.get(0).get("task_uuid").asText());
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 1");
        assertThat(browser.findElement(By.id("previous-page")).isEnabled()).isFalse();

        browser.findElement(By.id("next-page")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-number"), "Page 2"));
        assertThat(shownTask()).isEqualTo(newest.get(1).get("task_uuid").asText());
        browser.findElement(By.id("next-page")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-number"), "Page 3"));
        assertThat(shownTask()).isEqualTo(newest.get(2).get("task_uuid").asText());
        assertThat(browser.getCurrentUrl()).contains("limit=1").contains("cursor=");

        browser.findElement(By.id("previous-page")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-number"), "Page 2"));
        assertThat(shownTask()).isEqualTo(newest.get(1).get("task_uuid").asText());
        browser.navigate().back();
        wait.until(ExpectedConditions.textToBe(By.id("page-number"), "Page 3"));
        assertThat(shownTask()).as("Back goes to the page shown before").isEqualTo(newest.get(2).get("task_uuid")
                .asText());
    }

    @Test
    void aTemplatePageDrawsItsStepsAsAGraph() {
        browser.get(tasker.url() + "/ui/templates");
        openDialog();
        enterToken(readToken);
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-template='examples/order_fulfillment'] a"))).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("title"), "examples/order_fulfillment"));
        List<WebElement> boxes = browser.findElements(By.cssSelector("#dag g.step"));
        assertThat(boxes).extracting(box -> box.getAttribute("data-step"))
                .containsExactly("validate_order", "reserve_inventory", "process_payment", "ship_order");
        assertThat(browser.findElements(By.cssSelector("#dag path.edge"))).hasSize(4);
        assertThat(browser.findElement(By.cssSelector("#steps tr[data-step=process_payment]")).getText())
                .contains("io.tasker.examples.orders.ProcessPayment").contains("5");
    }

    @Test
    void atAPhonesWidthInDarkModeNoPageScrollsSideways() {
        String failed = failedOrder();
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));

        browser.get(tasker.url() + "/ui");
        openDialog();
        enterToken(readToken);
        wait.until(ExpectedConditions.visibilityOfElementLocated(row(failed)));
        assertFitsTheWidth("/ui");
        assertThat(backgroundLuminance()).as("the page follows the system's dark setting").isLessThan(0.1);

        browser.get(tasker.url() + "/ui/tasks/" + failed);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#gantt rect.bar")));
        assertFitsTheWidth("the task page");
        assertThat(backgroundLuminance()).isLessThan(0.1);

        browser.get(tasker.url() + "/ui/templates/examples/mixed_dag_workflow");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#dag g.step")));
        assertFitsTheWidth("the template page");
    }

    /**
     * A task in error, its uuid: the example's payment fails 7 times and its step has 5 attempts,
     * so a retry (5 attempts more) succeeds at the 8th.
     */
    private static String failedOrder() {
        Tasks tasks = new Tasks(writer);
        String id = tasks.create("order_fulfillment", "{\"order_id\": \"ORD-UI-" + TASKS.incrementAndGet()
                + "\", \"payment_failures\": 7}");
        assertThat(tasks.awaitFinished(id).json().get("state").asText()).isEqualTo("error");
        return id;
    }

    /** The one task a page of one shows, once the page has it. */
    private String shownTask() {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#tasks tbody tr"), 1));
        return wait.until(driver -> {
            List<WebElement> rows = driver.findElements(By.cssSelector("#tasks tbody tr"));
            return rows.size() == 1 ? rows.get(0).getAttribute("data-task") : null;
        });
    }

    /** A task that completes; its uuid. */
    private static String linearTask() {
        return new Tasks(writer).create("linear_workflow", "{\"even_number\": " + 2 * TASKS.incrementAndGet() + "}");
    }

    private static By row(String taskId) {
        return By.cssSelector("tr[data-task='" + taskId + "']");
    }

    private WebElement openDialog() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog[open]")));
    }

    private void enterToken(String token) {
        browser.findElement(By.id("token-input")).sendKeys(token);
        browser.findElement(By.cssSelector("dialog[open] button[value=use]")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("dialog[open]"), 0));
    }

    private void pressRetry(String reason) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#failed-steps li[data-step=process_payment] button[data-action=retry]"))).click();
        WebElement dialog = openDialog();
        assertThat(dialog.getText()).contains("Retry the step process_payment?");
        dialog.findElement(By.id("action-reason")).sendKeys(reason);
        dialog.findElement(By.cssSelector("button[value=confirm]")).click();
    }

    private List<String> attemptErrors() {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#step table.attempts tbody tr"), 5));
        return browser.findElements(By.cssSelector("#step table.attempts tbody td.message")).stream()
                .map(WebElement::getText).toList();
    }

    private void assertFitsTheWidth(String page) {
        Object sizes = browser.executeScript("return [document.documentElement.scrollWidth, window.innerWidth]");
        assertThat(sizes).as(page + ": page width and window width").isInstanceOf(List.class);
        List<?> both = (List<?>) sizes;
        assertThat(((Number) both.get(0)).longValue()).as(page + " scrolls sideways at 390 px")
                .isLessThanOrEqualTo(((Number) both.get(1)).longValue());
    }

    /** The relative luminance of the page's background, 0 (black) to 1 (white). */
    private double backgroundLuminance() {
        String color = (String) browser.executeScript("return getComputedStyle(document.documentElement).backgroundColor");
        String[] rgb = color.replaceAll("[^0-9,]", "").split(",");
        return (0.2126 * Integer.parseInt(rgb[0]) + 0.7152 * Integer.parseInt(rgb[1])
                + 0.0722 * Integer.parseInt(rgb[2])) / 255;
    }

    /**
     * A script error or a content security policy violation is logged to the console. The 401s and
     * 403s the tests provoke are logged too, as failed loads: those are expected.
     */
    private void assertNoScriptErrors() {
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.matches("(?s).*the server responded with a status of 40[13].*"))
                .toList();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }

    private void deleteProfile() throws IOException {
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
