package io.ganserve;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ganserve.roles.*}: what this instance does. One instance does both by default; a
 * scaled-out deployment runs trainers (GPU nodes) and servers (CPU nodes) against one database and
 * one registry volume. Every instance accepts and reports jobs.
 *
 * @param training claims and trains queued jobs
 * @param serving answers sample, interpolation and nearest-neighbour requests
 */
@ConfigurationProperties("ganserve.roles")
public record Roles(@DefaultValue("true") boolean training, @DefaultValue("true") boolean serving) {

    public static final String SERVING = "ganserve.roles.serving";
}
