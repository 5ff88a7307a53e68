/// When the calls a task makes must have ended: GoetheKit's transport sends it as `grpc-timeout`
/// and ends a call that outlives it, with timers on the call's event loop rather than a task per
/// call. ``GoetheClient`` sets it around each request-response call and its retries.
package enum CallDeadline {
  @TaskLocal package static var current: ContinuousClock.Instant?
}
