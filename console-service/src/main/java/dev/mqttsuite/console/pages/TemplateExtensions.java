package dev.mqttsuite.console.pages;

import dev.mqttsuite.console.api.AdminApis;
import io.quarkus.qute.TemplateExtension;

/** Template helpers: {@code {value.urlEncode}} for links, {@code {value.jsonString}} for htmx values. */
@TemplateExtension
public final class TemplateExtensions {

    private TemplateExtensions() {
    }

    static String urlEncode(Object value) {
        return value == null ? "" : AdminApis.enc(value.toString());
    }

    /** The inside of a JSON string literal (for {@code hx-vals}); Qute then HTML-escapes it for the attribute. */
    static String jsonString(Object value) {
        String s = value == null ? "" : value.toString();
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
