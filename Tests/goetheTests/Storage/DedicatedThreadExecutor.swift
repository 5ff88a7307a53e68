import Foundation

/// Runs the jobs of the tasks that prefer it on a thread of its own, so that a test can let such a
/// task block in a system call without holding up a thread of the shared concurrency pool.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
  /// Guards `jobs` and `stopped`.
  private let condition = NSCondition()
  private var jobs: [UnownedJob] = []
  private var stopped = false

  init() {
    Thread { [self] in runJobs() }.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    condition.withLock {
      jobs.append(job)
      condition.signal()
    }
  }

  /// Lets the thread end once it has run the jobs enqueued so far.
  func stop() {
    condition.withLock {
      stopped = true
      condition.signal()
    }
  }

  private func runJobs() {
    while let job = nextJob() { job.runSynchronously(on: asUnownedTaskExecutor()) }
  }

  private func nextJob() -> UnownedJob? {
    condition.withLock {
      while jobs.isEmpty && !stopped { condition.wait() }
      return jobs.isEmpty ? nil : jobs.removeFirst()
    }
  }
}
