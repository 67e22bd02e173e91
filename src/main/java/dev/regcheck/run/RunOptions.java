package dev.regcheck.run;

import dev.regcheck.catalog.Lang;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import dev.regcheck.session.Mode;

/**
 * One run of the suites.
 *
 * @param overrides {@code --set section.field=value} pairs (highest precedence over the profile)
 * @param tags catalog tags to include; empty = all
 * @param checks check id globs such as {@code S05.*}; null = all
 * @param skipApply steps apply mode leaves to the person (e.g. a class doing S05 by hand)
 * @param reportsRoot the folder that holds one folder per run and {@code latest}
 * @param allureHtml whether to render the Allure report ({@code index.html}) after the run
 * @param historyDir where the lab's Allure history is kept between runs; null: {@code
 *     <reportsRoot>/history/<lab>}
 * @param environment the process environment the run judges by (in-cluster variables, secrets named
 *     by {@code {env: ...}}); null: this process's
 * @param snapshot what the run judges when it is a capture served read-only (kind, path, capture
 *     time, cluster version and ID), shown in the report; empty: a live cluster
 * @param record where to write every object the run read ({@code --record}), as {@code oc get}
 *     files {@code audit --snapshot} reads; null: nothing recorded
 */
public record RunOptions(
    Path profile,
    Map<String, String> overrides,
    Mode mode,
    Lang lang,
    Set<String> tags,
    String checks,
    Set<String> skipApply,
    Path reportsRoot,
    boolean allureHtml,
    Path historyDir,
    Map<String, String> environment,
    Map<String, String> snapshot,
    Path record) {

  /** A run without the Allure HTML (the harness's own tests; results and checklists are written). */
  public RunOptions(Path profile, Map<String, String> overrides, Mode mode, Lang lang, Set<String> tags,
      String checks, Set<String> skipApply, Path reportsRoot) {
    this(profile, overrides, mode, lang, tags, checks, skipApply, reportsRoot, false, null, null, Map.of(), null);
  }

  public RunOptions withAllureHtml(Path history) {
    return new RunOptions(profile, overrides, mode, lang, tags, checks, skipApply, reportsRoot, true, history,
        environment, snapshot, record);
  }

  /** The same run judging by another environment (a test's: a pod of another cluster, say). */
  public RunOptions withEnvironment(Map<String, String> env) {
    return new RunOptions(profile, overrides, mode, lang, tags, checks, skipApply, reportsRoot, allureHtml, historyDir,
        Map.copyOf(env), snapshot, record);
  }

  /** The same run judging a capture: {@code description} names it (see {@code snapshot}). */
  public RunOptions judgingSnapshot(Map<String, String> description) {
    return new RunOptions(profile, overrides, mode, lang, tags, checks, skipApply, reportsRoot, allureHtml, historyDir,
        environment, Map.copyOf(description), record);
  }

  /** The same run, recording every object it reads into {@code dir} ({@code --record}). */
  public RunOptions recordingInto(Path dir) {
    return new RunOptions(profile, overrides, mode, lang, tags, checks, skipApply, reportsRoot, allureHtml, historyDir,
        environment, snapshot, dir);
  }
}
