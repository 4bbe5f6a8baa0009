package io.ganserve.registry;

/**
 * A file of a job that the registry found damaged and moved aside, as the job's state shows it.
 *
 * @param file where it was, relative to the data directory ({@code jobs/<id>/model.json})
 * @param quarantinedAs where it is now, beside it ({@code jobs/<id>/model.json.damaged})
 * @param reason what was wrong with it, as the warning logged then said
 */
public record DamagedFile(String file, String quarantinedAs, String reason) {}
