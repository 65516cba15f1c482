package dev.mqttsuite.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium, from Debian's {@code chromium} and {@code chromium-driver} packages. Without
 * them the browser tests are skipped with a message, except when {@code MQTT_SUITE_REQUIRE_BROWSER=true} (CI), where
 * their absence fails.
 */
final class Browser {

    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    private Browser() {
    }

    static WebDriver start() {
        boolean present = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
        if ("true".equals(System.getenv("MQTT_SUITE_REQUIRE_BROWSER"))) {
            assertThat(present).as(DRIVER + " and " + CHROMIUM + " are required in CI (MQTT_SUITE_REQUIRE_BROWSER=true)")
                    .isTrue();
        }
        Assumptions.assumeTrue(present, "browser tests skipped: install Debian's chromium and chromium-driver ("
                + DRIVER + ", " + CHROMIUM + " not found)");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                        "--disable-gpu", "--user-data-dir=" + tempDir());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("console-chromium").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
