import Metrics
import Synchronization

/// A metrics backend that records the server's `goethe_subscribers` meter, the number of running
/// Subscribe and Consume handlers, and lets a test wait for it to reach a value. Everything else
/// goes nowhere.
final class SubscriberGauge: MetricsFactory, MeterHandler {
  private struct Waiter {
    var target: Double
    var continuation: CheckedContinuation<Bool, Never>
  }

  private struct State {
    var value: Double = 0
    var waiters: [UInt64: Waiter] = [:]
    var nextToken: UInt64 = 0
  }

  private let state = Mutex(State())
  private let noop = NOOPMetricsHandler.instance

  var value: Double { state.withLock { $0.value } }

  /// Whether the gauge shows `target` within `limit`; false past the deadline.
  func reaches(_ target: Double, within limit: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask { await self.reached(target) }
      group.addTask {
        try? await Task.sleep(for: limit)  // a deadline, not a synchronisation
        return false
      }
      let outcome = await group.next() ?? false
      group.cancelAll()
      return outcome
    }
  }

  /// True once the gauge is `target`; false if the task is cancelled first.
  private func reached(_ target: Double) async -> Bool {
    let token = state.withLock { state in
      state.nextToken += 1
      return state.nextToken
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        let done = state.withLock { state -> Bool? in
          if state.value == target { return true }
          if Task.isCancelled { return false }
          state.waiters[token] = Waiter(target: target, continuation: continuation)
          return nil
        }
        if let done { continuation.resume(returning: done) }
      }
    } onCancel: {
      state.withLock { $0.waiters.removeValue(forKey: token) }?.continuation.resume(returning: false)
    }
  }

  private func update(_ change: (inout Double) -> Void) {
    let woken = state.withLock { state -> [Waiter] in
      change(&state.value)
      let value = state.value
      let ready = state.waiters.filter { $0.value.target == value }
      for token in ready.keys { state.waiters.removeValue(forKey: token) }
      return Array(ready.values)
    }
    for waiter in woken { waiter.continuation.resume(returning: true) }
  }

  // MARK: MeterHandler

  func set(_ value: Int64) { update { $0 = Double(value) } }
  func set(_ value: Double) { update { $0 = value } }
  func increment(by amount: Double) { update { $0 += amount } }
  func decrement(by amount: Double) { update { $0 -= amount } }

  // MARK: MetricsFactory

  func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
    label == "goethe_subscribers" ? self : noop
  }

  func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { noop }
  func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
    noop
  }
  func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { noop }
  func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { noop }
  func destroyCounter(_ handler: any CounterHandler) {}
  func destroyMeter(_ handler: any MeterHandler) {}
  func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
  func destroyRecorder(_ handler: any RecorderHandler) {}
  func destroyTimer(_ handler: any TimerHandler) {}
}
