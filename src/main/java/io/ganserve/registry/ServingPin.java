package io.ganserve.registry;

import java.time.Instant;

/**
 * The model an operator pinned as the one served by default ({@code PUT /models/default}), kept in
 * the registry so a restart and every instance sharing the registry serve the same one.
 */
public record ServingPin(String jobId, Instant since) {}
