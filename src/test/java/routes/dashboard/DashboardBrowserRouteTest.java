package routes.dashboard;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * The dashboard in a real browser (Debian's headless chromium, driven by Selenium through Debian's chromedriver):
 * the page connects to the feed, a burst sent from the page shows up as cards that turn from queued to
 * persisted, and the figures follow. Saves target/dashboard.png. `.ci/run` installs chromium and chromedriver.
 */
@CamelMainTest(properties = {
        // long enough that the cards are seen queued before their batch is written
        "batch.interval=1500"
})
class DashboardBrowserRouteTest extends RouteTestSupport {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration SOON = Duration.ofSeconds(20);
    private static final int BURST = 12;

    private ChromeDriver browser;

    @BeforeAll
    void openBrowser() throws Exception {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("dashboard-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void a_burst_sent_from_the_page_appears_as_cards_that_turn_persisted() throws Exception {
        await(SOON, table::exists, "the table exists");
        browser.get("http://127.0.0.1:" + owned.httpPort() + "/dashboard");
        await(SOON, () -> text("connection-state").equals("live"), "the page is connected to the feed");

        WebElement size = browser.findElement(By.id("burst-size"));
        size.clear();
        size.sendKeys(Integer.toString(BURST));
        browser.findElement(By.id("burst-button")).click();

        await(SOON, () -> text("burst-status").contains(Integer.toString(BURST)), "the page reports the burst accepted");
        List<WebElement> queued = awaitValue(SOON, () -> burstCards("queued"), cards -> cards.size() == BURST,
                BURST + " cards of the burst shown as queued");
        List<String> uuids = queued.stream().map(card -> card.getAttribute("data-uuid")).toList();

        awaitValue(SOON, () -> burstCards("persisted"), cards -> cards.size() == BURST, "every card of the burst turned persisted");
        for (String uuid : uuids) {
            assertEquals(1, table.countByUuid(UUID.fromString(uuid)), "card " + uuid + " is a stored message");
        }
        await(SOON, () -> Long.parseLong(text("accepted-count").replaceAll("[^0-9]", "")) >= BURST, "the accepted figure follows");
        await(SOON, () -> Long.parseLong(text("persisted-count").replaceAll("[^0-9]", "")) >= BURST, "the persisted figure follows");

        Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path kept = Path.of("target", "dashboard.png");
        Files.createDirectories(kept.getParent());
        Files.copy(screenshot, kept, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(kept) > 10_000, "a screenshot was saved to " + kept.toAbsolutePath());
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    /** The cards of messages the dashboard sent, in the given state. */
    private List<WebElement> burstCards(String state) {
        return browser.findElements(By.cssSelector("#cards .card[data-state='" + state + "']")).stream()
                .filter(card -> card.getText().contains("dashboard"))
                .toList();
    }
}
