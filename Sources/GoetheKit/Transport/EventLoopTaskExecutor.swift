package import NIOCore

/// Runs tasks on a NIO event loop, so that a call runs on its connection's thread: the daemon's
/// handlers, where the request arrives and the response is written, and a client's
/// request-response calls and the leader's links to its followers, which write their requests and
/// read the answers there, each without a switch between threads.
package final class EventLoopTaskExecutor: TaskExecutor {
  package let eventLoop: any EventLoop

  package init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

  package func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    eventLoop.execute { job.runSynchronously(on: executor) }
  }
}
