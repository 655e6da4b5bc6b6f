package org.adam.sfu.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A cell of the interop matrix (docs/interop.md) that the annotated test checks: when the test
 * passes the cell is recorded as passing, when it fails as failing ({@link InteropRecorder}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(InteropCell.List.class)
public @interface InteropCell {

    /** The client stack, as {@link StackVersions} names it. */
    String stack();

    /** The matrix column: two-way, late-join, no-pli, leave, cascade, mixed-room. */
    String cell();

    String codec() default "VP8";

    /** The publisher's bundle policy, where the test sets one. */
    String bundlePolicy() default "";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface List {
        InteropCell[] value();
    }
}
