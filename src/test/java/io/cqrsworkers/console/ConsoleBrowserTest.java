package io.cqrsworkers.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.config.AppConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real browser: headless Chromium (Debian's chromium and chromium-driver) driven by Selenium. It
 * publishes a command through the API, follows it from the commands view to its execution graph, checks the
 * states' colours and words and the event history, watches a waiting execution turn green without a reload, and
 * keeps screenshots under target/console-screenshots/. Skipped when chromium is not installed, except in CI
 * (CI=true), where a missing browser fails the test.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class ConsoleBrowserTest extends ConsoleTestSupport {

    static final Path SHOTS = Path.of("target", "console-screenshots");
    // the console's CSS colours (app.css) as the browser computes them
    static final String OK_FILL = "rgb(230, 244, 234)";
    static final String FAIL_FILL = "rgb(253, 232, 231)";
    static final String CAUGHT_FILL = "rgb(254, 243, 199)";
    static final String WAIT_FILL = "rgb(243, 232, 255)";
    static final String NOT_REACHED_FILL = "rgb(255, 255, 255)";

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void openBrowser() throws IOException {
        Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = onPath("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            String missing = "chromium and chromium-driver are needed (apt-get install -y chromium chromium-driver); found "
                    + "browser " + chromium.map(Path::toString).orElse("none") + ", driver "
                    + driver.map(Path::toString).orElse("none");
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must run the console browser test: " + missing);
            }
            Assumptions.abort("Console browser test skipped: " + missing);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1500,1000", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // the page redraws what changed while a wait looks at it
        wait = (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SHOTS);
    }

    /** What the browser showed when a test ended: a screenshot and the page's HTML, for a failure's diagnosis. */
    @AfterEach
    void keepLastPage(TestInfo test) throws IOException {
        if (browser != null) {
            String name = "last-" + test.getTestMethod().map(m -> m.getName()).orElse("test");
            shot(name);
            Files.writeString(SHOTS.resolve(name + ".html"), browser.getPageSource());
        }
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void followsACommandToItsExecutionGraph() throws IOException {
        browser.get(base() + "/console/");
        wait.until(b -> !b.findElements(By.cssSelector("#executions table")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("nav a[aria-current=page]")).getText()).isEqualTo("Executions");

        publish("ORDER#console-browser");
        browser.findElement(By.linkText("Commands")).click();
        WebElement pk = wait.until(b -> b.findElement(By.name("pk")));
        pk.sendKeys("ORDER#t1", Keys.ENTER);
        // the commands view polls while a command is on its way: no reload needed to see it finish
        WebElement row = wait.until(b -> b.findElements(By.cssSelector("tr[data-sk='ORDER#console-browser']")).stream()
                .filter(r -> r.getText().contains("finish:FINISHED")).findFirst().orElse(null));
        shot("01-commands");
        row.findElement(By.linkText("graph")).click();

        WebElement checkVersion = wait.until(b -> b.findElements(By.cssSelector("g.node[data-state='check_version']"))
                .stream().filter(n -> "SUCCEEDED".equals(n.getAttribute("data-status"))).findFirst().orElse(null));
        wait.until(b -> b.findElement(By.cssSelector(".exec-head .status")).getAttribute("data-status").equals("SUCCEEDED"));
        assertThat(fill(checkVersion)).isEqualTo(OK_FILL);
        assertThat(checkVersion.getAttribute("aria-label")).isEqualTo("check_version, Task state, succeeded");
        WebElement fail = node("fail");
        assertThat(fail.getAttribute("data-status")).isEqualTo("NOT_REACHED");
        assertThat(fill(fail)).isEqualTo(NOT_REACHED_FILL);
        assertThat(fail.getAttribute("aria-label")).endsWith("not reached");
        // the Map's inner state is drawn inside the Map's frame
        assertThat(browser.findElements(By.cssSelector("g.node[data-state='sync_data_all'] g.node[data-state='sync_data']")))
                .hasSize(1);

        List<WebElement> history = browser.findElements(By.cssSelector("#history tbody tr"));
        assertThat(history.get(0).getAttribute("data-type")).isEqualTo("ExecutionStarted");
        assertThat(history.get(history.size() - 1).getAttribute("data-type")).isEqualTo("ExecutionSucceeded");
        assertThat(history).anyMatch(r -> r.getText().contains("TaskSubmitted") && r.getText().contains("check_version"));

        // keyboard: focus the state and press Enter; its input and output show beside the graph
        checkVersion.sendKeys(Keys.ENTER);
        WebElement detail = wait.until(b -> b.findElement(By.cssSelector(".detail h3")));
        assertThat(detail.getText()).startsWith("check_version");
        assertThat(browser.findElement(By.cssSelector(".detail pre[data-field=input]")).getText()).contains("\"pk\"");
        assertThat(browser.findElement(By.cssSelector(".detail pre[data-field=output]")).getText()).contains("result");
        assertThat(browser.findElements(By.cssSelector("#history tbody tr.selected"))).isNotEmpty()
                .allMatch(r -> r.getText().contains("check_version"));
        shot("02-command-execution");
    }

    @Test
    void showsCaughtAndFailedStatesAndUpdatesARunningExecutionWithoutAReload() throws IOException {
        String queueUrl = aws.sqs().getQueueUrl(b -> b.queueName(prefix() + "stream-dead-letter-queue-dlq")).queueUrl();
        aws.sqs().purgeQueue(b -> b.queueUrl(queueUrl));
        String machine = aws.sfn().createStateMachine(b -> b.name(prefix() + "console-browser").roleArn(ROLE)
                .definition("""
                        {"StartAt": "send", "States": {
                          "send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                   "Parameters": {"QueueUrl": "http://127.0.0.1:1/000000000000/none", "MessageBody": "x"},
                                   "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "each"}],
                                   "Next": "never"},
                          "never": {"Type": "Pass", "End": true},
                          "each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped", "Next": "approve",
                                   "ItemProcessor": {"StartAt": "item", "States": {"item": {"Type": "Pass", "End": true}}}},
                          "approve": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                      "Parameters": {"QueueUrl": "%s", "MessageBody": {"token.$": "$$.Task.Token"}},
                                      "ResultPath": "$.approval", "Next": "decide"},
                          "decide": {"Type": "Choice", "Default": "stop",
                                     "Choices": [{"Variable": "$.approval.ok", "BooleanEquals": true, "Next": "done"}]},
                          "done": {"Type": "Succeed"},
                          "stop": {"Type": "Fail", "Error": "Console.Rejected", "Cause": "not approved"}}}"""
                        .formatted(queueUrl))).stateMachineArn();
        String arn = aws.sfn().startExecution(b -> b.stateMachineArn(machine).name("browser-live")
                .input("{\"items\":[1,2,3]}")).executionArn();

        browser.get(base() + "/console/#/execution?arn=" + q(arn));
        WebElement approve = wait.until(b -> b.findElements(By.cssSelector("g.node[data-state='approve']")).stream()
                .filter(n -> "WAITING".equals(n.getAttribute("data-status"))).findFirst().orElse(null));
        assertThat(fill(approve)).isEqualTo(WAIT_FILL);
        assertThat(approve.getAttribute("aria-label")).endsWith("waiting for callback");
        assertThat(fill(node("send"))).isEqualTo(CAUGHT_FILL);
        assertThat(node("send").getAttribute("aria-label")).endsWith("caught");
        assertThat(node("item").getAttribute("aria-label")).contains("succeeded").contains("3\u00d7");
        assertThat(browser.findElement(By.id("live")).getAttribute("class")).contains("on");
        node("send").click();
        assertThat(wait.until(b -> b.findElement(By.cssSelector(".detail p[data-field=error]"))).getText()).isNotBlank();
        shot("03-waiting-for-callback");

        // answer the callback behind the page's back: the page follows without a reload
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
        Message message = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).messages().get(0);
        JsonNode body = parse(message.body());
        aws.sfn().sendTaskSuccess(b -> b.taskToken(body.path("token").asText()).output("{\"ok\":false}"));
        wait.until(b -> b.findElement(By.cssSelector(".exec-head .status")).getAttribute("data-status").equals("FAILED"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;")).isEqualTo(true);
        assertThat(fill(node("approve"))).isEqualTo(OK_FILL);
        assertThat(node("stop").getAttribute("data-status")).isEqualTo("FAILED");
        assertThat(fill(node("stop"))).isEqualTo(FAIL_FILL);
        assertThat(node("done").getAttribute("data-status")).isEqualTo("NOT_REACHED");
        assertThat(node("never").getAttribute("data-status")).isEqualTo("NOT_REACHED");
        node("stop").click();
        assertThat(wait.until(b -> b.findElement(By.cssSelector(".detail p[data-field=error]"))).getText())
                .isEqualTo("Console.Rejected");
        shot("04-caught-and-failed");

        browser.get(base() + "/console/#/queues");
        wait.until(b -> !b.findElements(By.cssSelector("tr[data-queue]")).isEmpty());
        shot("05-queues");
    }

    private WebElement node(String state) {
        return browser.findElement(By.cssSelector("g.node[data-state='" + state + "']"));
    }

    private static String fill(WebElement node) {
        return node.findElement(By.cssSelector("rect.box")).getCssValue("fill");
    }

    private void shot(String name) throws IOException {
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> onPath(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
