package dev.regcheck.run;

import dev.regcheck.catalog.Lang;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One run of the suites.
 *
 * @param overrides {@code --set section.field=value} pairs (highest precedence over the profile)
 * @param tags catalog tags to include; empty = all
 * @param checks check id globs such as {@code S05.*}; null = all
 * @param skipApply steps apply mode leaves to the person (e.g. a class doing S05 by hand)
 * @param reportsRoot the folder that holds one folder per run and {@code latest}
 */
public record RunOptions(
    Path profile,
    Map<String, String> overrides,
    Mode mode,
    Lang lang,
    Set<String> tags,
    String checks,
    Set<String> skipApply,
    Path reportsRoot) {}
