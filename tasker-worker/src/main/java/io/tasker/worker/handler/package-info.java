/**
 * The Java step handler API, all a handler jar needs: {@link io.tasker.worker.handler.StepHandler}
 * runs a step and sees it through {@link io.tasker.worker.handler.StepContext}; it returns a
 * {@link io.tasker.worker.handler.StepHandlerResult} or throws
 * {@link io.tasker.worker.handler.RetryableException} or
 * {@link io.tasker.worker.handler.PermanentException}. Handlers are found through
 * {@link io.tasker.worker.handler.StepHandlerProvider} in {@code META-INF/services}, or registered
 * in code on a {@link io.tasker.worker.handler.StepHandlerRegistry}. See {@code docs/java-handlers.md}.
 */
package io.tasker.worker.handler;
