package org.adam.sfu.it;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Records the {@link InteropCell}s of each finished test with its outcome and first-frame figures. */
final class InteropRecorder implements TestWatcher {

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, true);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, false);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        InteropResults.takeFigures();
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        InteropResults.takeFigures();
    }

    private static void record(ExtensionContext context, boolean passed) {
        Map<String, List<Double>> figures = InteropResults.takeFigures();
        Method method = context.getRequiredTestMethod();
        String test = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        for (InteropCell cell : method.getAnnotationsByType(InteropCell.class)) {
            InteropResults.record(cell.stack(), cell.cell(), cell.codec(),
                    cell.bundlePolicy().isEmpty() ? null : cell.bundlePolicy(), passed,
                    passed && cell.cell().equals("late-join") ? figures.getOrDefault(cell.stack(), List.of()) : List.of(),
                    test);
        }
    }
}
