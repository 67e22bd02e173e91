package dev.regcheck.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regcheck.assertions.CheckFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

class WaitTest {

  @Test
  void returnsTheObservationThatSatisfiedTheCondition() {
    AtomicInteger n = new AtomicInteger();
    int v = Wait.named("n to reach 3", n::incrementAndGet).until(x -> x >= 3)
        .within(Duration.ofSeconds(5), Duration.ofMillis(10)).await();
    assertThat(v).isEqualTo(3);
  }

  @Test
  void aTerminalStateEndsTheWaitAtOnceWithTheReason() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Wait.named("claim bound", () -> "Pending").until("Bound"::equals)
            .failFastWhen(s -> Optional.of("no volume matches"))
            .withEvidence(s -> List.of(new CheckFailure.Evidence("state", s)))
            .within(Duration.ofSeconds(30), Duration.ofMillis(50)).await())
        .isInstanceOf(CheckFailure.class)
        .hasMessageStartingWith("no volume matches")
        .satisfies(e -> assertThat(((CheckFailure) e).evidence()).extracting(CheckFailure.Evidence::text).containsExactly("Pending"));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aRefusalOfTheApiServerEndsTheWaitAtOnce() {
    KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
        .withReason("Forbidden").withMessage("secrets is forbidden: User \"u\" cannot list resource \"secrets\"").build());
    AtomicInteger polls = new AtomicInteger();
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> Wait.named("secrets", () -> {
          polls.incrementAndGet();
          throw forbidden;
        }).until(x -> true).within(Duration.ofSeconds(30), Duration.ofMillis(50)).await())
        .isSameAs(forbidden);
    assertThat(polls).hasValue(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aTimeoutSaysWhatWasLastSeen() {
    assertThatThrownBy(() -> Wait.named("phase Bound", () -> "Pending").until("Bound"::equals)
            .describedBy(s -> "phase " + s).within(Duration.ofMillis(300), Duration.ofMillis(50)).await())
        .isInstanceOf(CheckFailure.class)
        .hasMessage("timed out after 300ms waiting for phase Bound; last seen: phase Pending");
  }

  @Test
  void aFailingProbeIsRetriedAndReportedOnTimeout() {
    AtomicInteger n = new AtomicInteger();
    assertThat(Wait.named("api", () -> {
      if (n.incrementAndGet() < 3) {
        throw new IllegalStateException("connection refused");
      }
      return "ok";
    }).within(Duration.ofSeconds(5), Duration.ofMillis(10)).await()).isEqualTo("ok");
    assertThatThrownBy(() -> Wait.named("api", () -> {
      throw new IllegalStateException("connection refused");
    }).within(Duration.ofMillis(200), Duration.ofMillis(50)).await())
        .hasMessageContaining("the last poll failed: connection refused");
  }

  @Test
  void anInterruptFailsAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Wait.named("forever", () -> "x").until(x -> false)
              .within(Duration.ofSeconds(30), Duration.ofMillis(10)).await())
          .isInstanceOf(CheckFailure.class)
          .hasMessageStartingWith("interrupted while waiting for forever");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptDuringTheWaitFails() throws Exception {
    Thread waiter = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException ignored) {
        return;
      }
      waiter.interrupt();
    });
    interrupter.start();
    try {
      assertThatThrownBy(() -> Wait.named("forever", () -> "x").until(x -> false)
              .within(Duration.ofSeconds(30), Duration.ofMillis(20)).await())
          .isInstanceOf(CheckFailure.class)
          .hasMessageStartingWith("interrupted while waiting for forever");
    } finally {
      Thread.interrupted();
      interrupter.join();
    }
  }
}
