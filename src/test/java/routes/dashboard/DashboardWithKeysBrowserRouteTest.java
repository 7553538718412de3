package routes.dashboard;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import routes.support.RouteTestSupport;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

import routes.support.ApiClient;
import routes.support.ApiResponse;

/**
 * The dashboard of a service with API keys: the page says it needs a key, takes one typed in (kept in the tab's
 * sessionStorage), reads /stats with it and opens the feed with a single-use ticket made with it.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + DashboardWithKeysBrowserRouteTest.ADMIN
})
class DashboardWithKeysBrowserRouteTest extends RouteTestSupport {

    static final String ADMIN = "dashboard-test-admin-key-0123456789abcdef";
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final Duration SOON = Duration.ofSeconds(20);

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
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build(), options);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void the_page_asks_for_a_key_then_reads_and_watches_with_it() {
        await(SOON, table::exists, "the table exists");
        ApiClient admin = api.withKey(ADMIN);
        ApiResponse created = admin.sendJson("POST", "/keys",
                "{\"name\": \"dashboard\", \"scopes\": [\"ingest\", \"read\", \"subscribe\"]}");
        assertEquals(201, created.status(), created.body());
        String key = created.json().get("key").asText();

        browser.get("http://127.0.0.1:" + owned.httpPort() + "/dashboard");
        await(SOON, () -> text("feed-notice").contains("API key"), "the page says it needs a key");
        browser.findElement(By.id("api-key")).sendKeys(key);
        browser.findElement(By.cssSelector("#key-form button")).click();
        await(SOON, () -> text("connection-state").equals("live"), "connected to the feed with a ticket");
        assertFalse(browser.getCurrentUrl().contains(key), "the key is in no URL");

        browser.findElement(By.id("burst-button")).click();
        await(SOON, () -> text("burst-status").startsWith("accepted"), "the burst was accepted with the key");
        awaitValue(SOON, () -> browser.findElements(By.cssSelector("#cards .card[data-state='persisted']")),
                cards -> !cards.isEmpty(), "cards turned persisted, seen through the feed");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }
}
