package io.ganserve.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the console's sources must never hold, checked without a browser: markup parsed from strings
 * (the way a job's error or a file name would become live HTML), code built from strings, inline
 * scripts, styles or handlers (the Content-Security-Policy would refuse them anyway), and anything
 * fetched from another origin (the console works offline).
 */
class ConsoleSourcesTest {

    private static final Path STATIC = Path.of("src", "main", "resources", "static");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(STATIC)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(js|html|css)$"))
                    .toList();
        }
    }

    @Test
    void noMarkupIsParsedFromStringsAndNoCodeFromText() throws IOException {
        Pattern refused = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function\\("
                + "|setTimeout\\(\\s*['\"`]|DOMParser|createContextualFragment|srcdoc");
        List<Path> files = sources();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // the one mention allowed: dom.js refusing the property by name
                if (line.contains("refused property") || line.trim().startsWith("//")) {
                    continue;
                }
                assertThat(refused.matcher(line).find()).as(file + ":" + (i + 1) + ": " + line).isFalse();
            }
        }
    }

    @Test
    void thePageHasNoInlineScriptStyleOrHandlers() throws IOException {
        String page = Files.readString(STATIC.resolve("index.html"));
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find()).as("inline <script>").isFalse();
        assertThat(page).doesNotContain("<style", "style=", "javascript:");
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find())
                .as("inline event handler").isFalse();
    }

    @Test
    void nothingComesFromAnotherOrigin() throws IOException {
        Pattern external = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE);
        for (Path file : sources()) {
            for (String line : Files.readAllLines(file)) {
                String withoutNamespace = line.replace("http://www.w3.org/2000/svg", "");
                assertThat(external.matcher(withoutNamespace).find()).as(file + ": " + line).isFalse();
            }
        }
    }
}
