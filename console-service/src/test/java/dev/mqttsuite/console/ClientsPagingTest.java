package dev.mqttsuite.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The clients list across two brokers pages through every entry, far beyond the brokers' 500-entry page, by
 * following the pager's links: they carry cursors (after/before a client id), each broker is asked for one page
 * from the cursor on (never for page n of the list, never for more than size + 1 entries), and the merge keeps the
 * order by client id with nothing skipped or repeated.
 */
@QuarkusTest
@QuarkusTestResource(FakeAdminApis.class)
class ClientsPagingTest {

    private static final Pattern ROW = Pattern.compile("data-client-id=\"([^\"]+)\"");
    private static final Pattern NEXT = Pattern.compile("<a href=\"([^\"]+)\" rel=\"next\">");
    private static final Pattern PREVIOUS = Pattern.compile("<a href=\"([^\"]+)\" rel=\"prev\">");
    private static final int CLIENTS = 1400;

    @BeforeEach
    void twoBrokers() {
        FakeAdminApis.CONNECTED.clear();
        for (int i = 0; i < CLIENTS; i++) {
            String id = "dev-%05d".formatted(i);
            (i % 3 == 0 ? FakeAdminApis.SECOND_BROKER : FakeAdminApis.CONNECTED).put(id, "user-" + i);
        }
        FakeAdminApis.LISTING_REQUESTS.clear();
    }

    @AfterEach
    void clear() {
        FakeAdminApis.SECOND_BROKER.clear();
        FakeAdminApis.CONNECTED.clear();
    }

    private static List<String> rows(String page) {
        List<String> ids = new ArrayList<>();
        Matcher m = ROW.matcher(page);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static String link(Pattern pattern, String page) {
        Matcher m = pattern.matcher(page);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void givenTwoBrokers_whenFollowingNextToTheEnd_thenEveryClientOnceInOrder_andPreviousGoesBack() {
        String cookie = FormLoginTest.login();
        List<String> seen = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        String next = "/clients?size=50";
        while (next != null) {
            String page = given().cookie("quarkus-credential", cookie).get(next).then().statusCode(200).extract()
                    .asString();
            pages.add(page);
            assertThat(page).doesNotContain("narrow the search");
            seen.addAll(rows(page));
            next = link(NEXT, page);
            assertThat(pages).as("no endless paging").hasSizeLessThanOrEqualTo(CLIENTS / 50 + 1);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            expected.add("dev-%05d".formatted(i));
        }
        assertThat(seen).as("all clients of both brokers, by client id, none skipped or repeated")
                .containsExactlyElementsOf(expected);
        assertThat(pages).hasSize(CLIENTS / 50);
        assertThat(pages.get(pages.size() - 1)).contains("1400 in total; page 28.");

        String last = pages.get(pages.size() - 1);
        String back = given().cookie("quarkus-credential", cookie).get(link(PREVIOUS, last)).then().statusCode(200)
                .extract().asString();
        assertThat(rows(back)).as("previous from the last page").isEqualTo(rows(pages.get(pages.size() - 2)));
        assertThat(back).contains("page 27.");

        assertThat(FakeAdminApis.LISTING_REQUESTS).as("one bounded page per broker and request, no page skipping")
                .allMatch(uri -> uri.contains("size=51") && !uri.matches(".*[?&]page=[1-9].*"));
    }

    @Test
    void givenTheFirstPages_whenGoingBackToTheStart_thenNoPreviousLinkAndTheFirstPageAgain() {
        String cookie = FormLoginTest.login();
        String first = given().cookie("quarkus-credential", cookie).get("/clients?size=50").then().statusCode(200)
                .extract().asString();
        assertThat(link(PREVIOUS, first)).isNull();
        String second = given().cookie("quarkus-credential", cookie).get(link(NEXT, first)).then().statusCode(200)
                .extract().asString();
        assertThat(rows(second)).first().isEqualTo("dev-00050");
        String again = given().cookie("quarkus-credential", cookie).get(link(PREVIOUS, second)).then()
                .statusCode(200).extract().asString();
        assertThat(rows(again)).isEqualTo(rows(first));
        assertThat(link(PREVIOUS, again)).as("back at the start").isNull();
        assertThat(again).contains("page 1.");
    }
}
