package dev.regcheck.registry;

/**
 * One entry of an OCI error body {@code {"errors":[{"code","message","detail"}]}}.
 *
 * @param detail the {@code detail} member as compact JSON, or empty when absent
 */
public record RegistryError(String code, String message, String detail) {}
