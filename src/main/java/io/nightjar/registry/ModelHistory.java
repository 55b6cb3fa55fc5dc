package io.nightjar.registry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One model's registry history ({@code model_events}), oldest first, and what follows from it:
 * which version holds {@code production} and {@code candidate}, and which versions held {@code
 * production} before. The history is the registry's source of truth; {@code model_aliases} is kept
 * equal to what it derives here.
 *
 * <p>{@code production} is a stack: {@code promoted} pushes a version, {@code rolled_back} pops the
 * current one and returns to the one below, so rolling back twice walks back through two
 * promotions. {@code candidate} is the latest registered version.
 */
public final class ModelHistory {
  private final String model;
  private final List<ModelEvent> events;
  private final int lastCommit;

  /**
   * @param events the model's events in commit order
   * @param lastCommit the highest commit number ({@code seq}) among them, 0 for none
   */
  public ModelHistory(String model, List<ModelEvent> events, int lastCommit) {
    this.model = model;
    this.events = List.copyOf(events);
    this.lastCommit = lastCommit;
  }

  public String model() {
    return model;
  }

  public List<ModelEvent> events() {
    return events;
  }

  /**
   * The number of the last registry commit of this model; the next commit claims {@code
   * lastCommit() + 1}.
   */
  public int lastCommit() {
    return lastCommit;
  }

  /** The versions that held {@code production}, the current one last. */
  public List<Integer> productionStack() {
    Deque<Integer> stack = new ArrayDeque<>();
    for (ModelEvent event : events) {
      switch (event.event()) {
        case PROMOTED -> {
          if (stack.isEmpty() || stack.peekLast() != event.version()) {
            stack.addLast(event.version());
          }
        }
        case ROLLED_BACK -> {
          if (!stack.isEmpty()) {
            stack.removeLast();
          }
          if (stack.isEmpty() || stack.peekLast() != event.version()) {
            stack.addLast(event.version());
          }
        }
        default -> {}
      }
    }
    return List.copyOf(stack);
  }

  public Optional<Integer> production() {
    List<Integer> stack = productionStack();
    return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(stack.size() - 1));
  }

  /**
   * The version {@code rollback} returns to: the one that held {@code production} before the
   * current one.
   */
  public Optional<Integer> previousProduction() {
    List<Integer> stack = productionStack();
    return stack.size() < 2 ? Optional.empty() : Optional.of(stack.get(stack.size() - 2));
  }

  /** The latest registered version. */
  public Optional<Integer> candidate() {
    Integer latest = null;
    for (ModelEvent event : events) {
      if (event.event() == EventKind.REGISTERED) {
        latest = latest == null ? event.version() : Math.max(latest, event.version());
      }
    }
    return Optional.ofNullable(latest);
  }

  public boolean registered(int version) {
    return events.stream()
        .anyMatch(e -> e.version() == version && e.event() == EventKind.REGISTERED);
  }

  /**
   * The gate's earlier decision about {@code candidate} against {@code production} ({@code
   * promoted} or {@code rejected} with that previous version), so that running the gate again does
   * not record it twice.
   */
  public Optional<ModelEvent> decision(int candidate, Integer production) {
    List<ModelEvent> found = new ArrayList<>();
    for (ModelEvent event : events) {
      boolean decides = event.event() == EventKind.PROMOTED || event.event() == EventKind.REJECTED;
      if (decides
          && event.version() == candidate
          && Objects.equals(event.previousVersion(), production)) {
        found.add(event);
      }
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
  }
}
