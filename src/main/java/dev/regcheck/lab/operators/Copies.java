package dev.regcheck.lab.operators;

import io.fabric8.kubernetes.client.utils.Serialization;

/** Deep copies and comparable text of API objects, as the operator's controllers compare and update them. */
final class Copies {
  private Copies() {}

  /** The object as JSON ({@code "null"} for null): equal text, equal object. */
  static String json(Object o) {
    return o == null ? "null" : Serialization.asJson(o);
  }

  @SuppressWarnings("unchecked")
  static <T> T copy(T object) {
    return (T) copy(object, object.getClass());
  }

  static <T> T copy(Object object, Class<T> type) {
    return Serialization.unmarshal(Serialization.asJson(object), type);
  }
}
