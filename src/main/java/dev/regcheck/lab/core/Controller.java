package dev.regcheck.lab.core;

/** One level-triggered reconcile loop of an imitated control-plane component. */
public interface Controller {
  /** Brings the world one step closer to the desired state; called every tick. */
  void reconcile();
}
