package io.siyu.engine.system;

/** Where new ids come from; a bean, so that tests can make ids predictable. */
@FunctionalInterface
public interface IdSource {

    String nextId();
}
