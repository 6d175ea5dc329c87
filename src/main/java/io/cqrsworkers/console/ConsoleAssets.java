package io.cqrsworkers.console;

import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's page and assets, plain files packaged under {@code console/} on the classpath: no build step, no
 * network. Only names of the form {@code name.ext} with a known type are served.
 */
public class ConsoleAssets {

    public static final String BEAN = "consoleAssets";
    public static final String FOLDER = "console/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml");

    /** Answers {@code /console/}, {@code /console} (the page) and {@code /console/assets/<name>}. */
    public void serve(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String file = path.startsWith("/console/assets/") ? path.substring("/console/assets/".length())
                : "index.html";
        exchange.getMessage().getHeaders().clear();
        InputStream in = NAME.matcher(file).matches()
                ? ConsoleAssets.class.getClassLoader().getResourceAsStream(FOLDER + file) : null;
        if (in == null) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getMessage().setBody("Not found: " + path);
            return;
        }
        try (in) {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            // small files that change with each build: always ask again
            exchange.getMessage().setHeader("Cache-Control", "no-cache");
            exchange.getMessage().setBody(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
