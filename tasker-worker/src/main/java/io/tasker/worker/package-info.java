/**
 * The worker foundation. To run Java handlers inside an application, three types are enough:
 * {@link io.tasker.worker.WorkerConfig} (built with its builder),
 * {@link io.tasker.worker.WorkerBootstrap#bootstrap(io.tasker.worker.WorkerConfig, String,
 * io.tasker.worker.handler.StepHandlerRegistry)} and the {@link io.tasker.worker.WorkerSystemHandle}
 * it returns, with {@link io.tasker.worker.WorkerSystemStatus} and
 * {@link io.tasker.worker.DeploymentMode} beside them.
 *
 * <p>The rest of this package is the interface between the foundation and a handler layer in
 * another language, which Tasker's Ruby bridge uses: the {@link io.tasker.worker.WorkerEventSystem}
 * bus, its {@link io.tasker.worker.StepExecutionEvent} and
 * {@link io.tasker.worker.StepExecutionCompletionEvent}, {@link io.tasker.worker.StepExecutionSubscriber},
 * {@link io.tasker.worker.HandlerThreads}, {@link io.tasker.worker.LocalWorkers}. Writing or
 * running Java handlers needs none of it. Classes under {@code internal} are not API.
 */
package io.tasker.worker;
