package io.ganserve.support;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample lines of one scrape of /actuator/prometheus: series (name plus labels) to value. */
public record PrometheusScrape(Map<String, Double> series) {

    public static PrometheusScrape of(HttpApi api) {
        String body = api.get("/actuator/prometheus").body();
        Map<String, Double> series = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)").matcher(body);
        while (m.find()) {
            series.put(m.group(1), Double.parseDouble(m.group(2).replace("+Inf", "Infinity")));
        }
        return new PrometheusScrape(series);
    }

    /** The first series named {@code name} whose labels contain every fragment; fails the test when there is none. */
    public double value(String name, String... labelFragments) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> java.util.Arrays.stream(labelFragments).allMatch(e.getKey()::contains))
                .mapToDouble(Map.Entry::getValue)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + " " + java.util.Arrays.toString(labelFragments)));
    }

    /** How many series are named {@code name}, whatever their labels. */
    public long count(String name) {
        return series.keySet().stream().filter(k -> k.equals(name) || k.startsWith(name + "{")).count();
    }
}
