package dev.mqttsuite.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicMatchingTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', commentCharacter = '~', textBlock = """
        sport/tennis/player1/#  | sport/tennis/player1                | true  | '#' matches the parent level [MQTT-4.7.1-2]
        sport/tennis/player1/#  | sport/tennis/player1/ranking        | true  | '#' matches one level below
        sport/tennis/player1/#  | sport/tennis/player1/score/wimbledon | true | '#' matches many levels below
        sport/#                 | sport                               | true  | section 4.7.1.2 example
        #                       | sport/tennis                        | true  | '#' alone matches everything
        #                       | /                                   | true  | '#' matches empty levels
        sport/tennis/+          | sport/tennis/player1                | true  | '+' matches one level [MQTT-4.7.1-3]
        sport/tennis/+          | sport/tennis/player1/ranking        | false | '+' matches exactly one level
        sport/+                 | sport                               | false | '+' needs a level to match
        sport/+                 | sport/                              | true  | '+' matches an empty level
        +/+                     | /finance                            | true  | section 4.7.1.3 example
        /+                      | /finance                            | true  | section 4.7.1.3 example
        +                       | /finance                            | false | section 4.7.1.3 example
        +/tennis/#              | sport/tennis                        | true  | mixed wildcards
        sport/tennis            | sport/tennis                        | true  | exact
        sport/tennis            | Sport/tennis                        | false | case-sensitive [MQTT-4.7.3-4]
        sport/tennis            | sport/tennis/                       | false | trailing empty level is a level
        ACCOUNTS                | Accounts                            | false | no normalisation [MQTT-4.7.3-4]
        #                       | $SYS/broker/uptime                  | false | [MQTT-4.7.2-1] '#' never matches a $ topic
        +/monitor/Clients       | $SYS/monitor/Clients                | false | [MQTT-4.7.2-1] leading '+' skips $ topics
        $SYS/#                  | $SYS/monitor/Clients                | true  | section 4.7.2 example
        $SYS/monitor/+          | $SYS/monitor/Clients                | true  | section 4.7.2 example
        a/#                     | a/$b                                | true  | '$' matters only at the first level
        """)
    void filterMatchesTopic(String filter, String topic, boolean expected, String rule) {
        assertThat(TopicFilter.of(filter).matches(TopicName.of(topic))).as(rule).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} covers {1} -> {2}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', commentCharacter = '~', textBlock = """
        sensors/#      | sensors/+/temp    | true  | '#' covers any deeper filter
        sensors/#      | sensors           | true  | 'a/#' covers 'a' because it matches it
        sensors/#      | sensors/#         | true  | a filter covers itself
        sensors/+/temp | sensors/#         | false | '+' does not cover '#'
        sensors/+      | sensors/a         | true  | '+' covers a literal
        sensors/a      | sensors/+         | false | a literal does not cover '+'
        #              | $SYS/#            | false | [MQTT-4.7.2-1] '#' does not cover $ topics
        +/x            | $SYS/x            | false | [MQTT-4.7.2-1] leading '+' does not cover $ topics
        #              | +/x               | true  | '#' covers a leading '+'
        $SYS/#         | $SYS/broker/+     | true  | $ filter covers $ filter
        a/b            | a/b/c             | false | deeper literal is not covered
        a/b/c          | a/b               | false | shallower literal is not covered
        a/+/#          | a/#               | false | 'a/#' matches 'a', 'a/+/#' does not
        +/#            | #                 | true  | every topic has a first level, so '+/#' matches all '#' does
        +/+/#          | #                 | false | '#' matches one-level topics, '+/+/#' does not
        """)
    void filterCoversFilter(String filter, String other, boolean expected, String rule) {
        assertThat(TopicFilter.of(filter).covers(TopicFilter.of(other))).as(rule).isEqualTo(expected);
    }
}
