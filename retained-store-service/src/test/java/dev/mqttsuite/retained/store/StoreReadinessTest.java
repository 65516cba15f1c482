package dev.mqttsuite.retained.store;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StoreReadinessTest {

    @Test
    void readiness_reportsTheOpenStorage() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("retained-storage"));
    }

    @Test
    void beforeTheStorageIsOpen_callsAreToldToComeBack_notFailedWithANullPointer() {
        assertThatThrownBy(() -> new RetainedStoreHolder().repository()).isInstanceOf(StoreStartingException.class)
                .hasMessageContaining("try again");
    }
}
