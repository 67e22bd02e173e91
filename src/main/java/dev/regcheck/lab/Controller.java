package dev.regcheck.lab;

/** One level-triggered reconcile loop of an imitated control-plane component. */
interface Controller {
  /** Brings the world one step closer to the desired state; called every tick. */
  void reconcile();
}
