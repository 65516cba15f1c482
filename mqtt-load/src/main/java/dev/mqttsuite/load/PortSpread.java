package dev.mqttsuite.load;

import java.util.List;

/**
 * Which broker port each publisher or subscriber connects to when the clients are spread over several brokers of a
 * cluster ({@code --pub-ports 1884,1885}): client i takes port i modulo the list, so publishers 0, 1, 2 go to the first,
 * second and first port again. Without a list every client takes the single fallback port.
 */
record PortSpread(List<Integer> ports, int fallback) {

    PortSpread {
        ports = List.copyOf(ports);
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range 1-65535: " + port);
            }
        }
    }

    /** The port of client {@code index} (0-based). */
    int portOf(int index) {
        return ports.isEmpty() ? fallback : ports.get(Math.floorMod(index, ports.size()));
    }
}
