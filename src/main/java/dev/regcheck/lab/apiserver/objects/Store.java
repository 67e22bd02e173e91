package dev.regcheck.lab.apiserver.objects;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/** Requests to fabric8's CRUD store made in-process, never through the API server's own HTTP. */
public final class Store {
  private Store() {}

  public static RecordedRequest request(HttpMethod method, String path, String body) {
    return request(method, path, "application/json", body);
  }

  public static RecordedRequest request(HttpMethod method, String path, String contentType, String body) {
    Headers.Builder headers = new Headers.Builder().add("Content-Type", contentType == null ? "application/json" : contentType);
    Buffer buffer = body == null ? new Buffer() : new Buffer().writeUtf8(body);
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
  }

  /** The response's body as text (it can be read once). */
  public static String body(MockResponse response) {
    return response.getBody() == null ? "" : response.getBody().readUtf8();
  }
}
