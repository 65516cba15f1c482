package dev.mqttsuite.broker.admin;

/** The paging parameters of the listings: {@code page} from 0, {@code size} 1..{@value #MAX_SIZE}. */
final class Paging {

    static final int MAX_SIZE = 500;

    private Paging() {
    }

    static void check(int page, int size) {
        if (page < 0) {
            throw Problems.badRequest("page", "page starts at 0");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw Problems.badRequest("size", "size is 1.." + MAX_SIZE);
        }
    }

    static String blankToNull(String query) {
        return query == null || query.isBlank() ? null : query;
    }
}
