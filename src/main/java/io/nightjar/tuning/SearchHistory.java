package io.nightjar.tuning;

import io.nightjar.config.Metric;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.tuning.bayes.Observation;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's past finished trials, as a {@code bayes} search with warm start learns from them:
 * mapped onto today's space ({@link SearchSpace#recorded}; a trial of a candidate the spec no
 * longer has, with other keys, a value outside today's range or a choice no longer listed is left
 * out) and weighted by age, {@code 0.5^(nights ago / }{@value #HALF_LIFE_NIGHTS}{@code )}: data
 * drifts, so last week's evidence counts half as much as tonight's. Trials without a logical date
 * (rows older than that column) are left out, their age being unknown. Each night is its own group:
 * the model ranks trials within their night, as each night's data sets its own level of the metric.
 */
final class SearchHistory {
  /** Nights after which a past trial counts half. */
  static final double HALF_LIFE_NIGHTS = 7.0;

  /** A past trial in today's space. */
  record Past(KFoldSearch.Point point, double[] x, double mean, LocalDate night, double weight) {}

  static final SearchHistory NONE = new SearchHistory(List.of(), 0);

  private final List<Past> used;
  private final int dropped;

  private SearchHistory(List<Past> used, int dropped) {
    this.used = List.copyOf(used);
    this.dropped = dropped;
  }

  /**
   * {@code trials} (of the spec's metric) mapped onto {@code space}, weighted by age at {@code
   * today}.
   */
  static SearchHistory of(
      SearchSpace space, List<HistoricTrial> trials, LocalDate today, FitCost cost) {
    List<Past> used = new ArrayList<>();
    int dropped = 0;
    for (HistoricTrial trial : trials) {
      KFoldSearch.Point point = space.recorded(trial.configKey(), trial.params());
      if (point == null || trial.logicalDate() == null || trial.logicalDate().isAfter(today)) {
        dropped++;
        continue;
      }
      long age = ChronoUnit.DAYS.between(trial.logicalDate(), today);
      double weight = Math.pow(0.5, age / HALF_LIFE_NIGHTS);
      double[] x = space.coordinates(point.candidateIndex(), point.params());
      used.add(new Past(point, x, trial.mean(), trial.logicalDate(), weight));
      cost.past(FitCost.units(point.params()), trial.seconds());
    }
    return new SearchHistory(used, dropped);
  }

  List<Past> used() {
    return used;
  }

  /** Past trials left out: not in today's space, or undated. */
  int dropped() {
    return dropped;
  }

  /** The past trials as observations of a model that minimises. */
  List<Observation> observations(Metric metric) {
    return used.stream()
        .map(
            past ->
                new Observation(
                    past.x(),
                    metric.asLoss(past.mean()),
                    past.weight(),
                    (int) past.night().toEpochDay()))
        .toList();
  }
}
