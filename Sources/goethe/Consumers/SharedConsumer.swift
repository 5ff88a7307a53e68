import Foundation
import GoetheKit

/// One shared consumer of a topic on the leader: drives its ``SharedConsumerState`` with the
/// topic's events, the members' messages and the clock, sends each member its deliveries, and
/// stores the state.
///
/// While it has members a pump task runs: it takes the events the members have room for, hands
/// them out, parks what ran out of deliveries (copying it to the dead-letter topic), and waits
/// for a member's message, a new event, or the next ack deadline. The state is stored at most
/// every ``storeInterval`` while it changes, and when the last member leaves, so that acks cost
/// no write each. A crash between an ack and the next store delivers that event again after the
/// restart: at least once, never lost. With no members the state lives only in the store.
actor SharedConsumer {
  typealias MemberID = SharedConsumerState.MemberID
  /// A member's deliveries; an empty batch says it is caught up (see ``caughtUp``).
  typealias Deliveries = AsyncThrowingStream<[SharedConsumerState.Delivery], any Error>

  let topic: String
  let name: String
  let store: any GoetheStore
  /// How often a changing state is stored.
  static let storeInterval: Duration = .milliseconds(50)
  /// How long the pump sleeps at most, when nothing else wakes it.
  static let idleWake: Duration = .milliseconds(250)

  private var state: SharedConsumerState?
  private var outboxes: [MemberID: Deliveries.Continuation] = [:]
  /// Members told they are caught up since their last delivery.
  private var caughtUp: Set<MemberID> = []
  private var nextMember: MemberID = 1
  private var pump: Task<Void, Never>?
  private var storedVersion: UInt64 = 0
  private var lastStore = ContinuousClock.now
  /// Whether a store of the state is in flight, and who waits for it to end (``withStoreTurn(_:)``).
  private var storing = false
  private var waitingToStore: [CheckedContinuation<Void, Never>] = []
  /// Published on each member's message, join and leave, for the pump to wake.
  private let wakes = CommitSignal()
  private let started = ContinuousClock.now

  init(topic: String, name: String, store: any GoetheStore) {
    self.topic = topic
    self.name = name
    self.store = store
  }

  // MARK: Members

  /// Adds a member, loading the stored state if the consumer had none; returns its id, the
  /// settings in force and its deliveries.
  func join(
    member: String, change: ConsumerSettingsChange
  ) async throws -> (id: MemberID, settings: ConsumerSettings, deliveries: Deliveries) {
    if state == nil {
      // After a store in flight (a change made with no member joined), not before it.
      try await withStoreTurn {
        if state == nil {
          state = try loadState()
          storedVersion = state!.version
        }
      }
    }
    var current = state!
    current.change(change)
    let id = nextMember
    nextMember += 1
    current.join(id, name: member)
    state = current
    let (deliveries, outbox) = Deliveries.makeStream()
    outboxes[id] = outbox
    if pump == nil { pump = Task { await self.run() } }
    wakes.publish()
    return (id, current.settings, deliveries)
  }

  /// The member is gone: what it held goes to the others at once. Its acks are stored before
  /// its deliveries end, so that a member that closes its stream finds them stored.
  func leave(_ member: MemberID) async {
    state?.leave(member)
    caughtUp.remove(member)
    wakes.publish()
    // A member often leaves from a cancelled task (its connection dropped); the store is written
    // from a task of its own, since a write whose task is cancelled is not made.
    await Task { try? await self.storeIfChanged(force: true) }.value
    outboxes.removeValue(forKey: member)?.finish()
  }

  /// A member's credit, acks and rejects.
  func receive(
    from member: MemberID, credit: UInt64, acks: [UInt64], ackUpTo: UInt64, rejects: [UInt64]
  ) {
    guard state != nil else { return }
    for id in acks { state!.ack(id) }
    if ackUpTo > 0 { state!.ack(member, upTo: ackUpTo) }
    for id in rejects { state!.reject(member, id) }
    if credit > 0 { state!.grant(member, credit) }
    wakes.publish()
  }

  // MARK: Administration

  /// The state now: the live one while members are joined, else the stored one.
  func describe() throws -> SharedConsumerState {
    try state ?? loadState()
  }

  /// Moves the ack floor to `cursor` and stores it.
  func reset(to cursor: CursorRecord) async throws -> SharedConsumerState {
    try await changeState { $0.reset(to: cursor) }
  }

  /// Delivers parked events again: all of them when `ids` is empty. They stay parked until a
  /// member acknowledges them, so a replay needs a member joined.
  func replay(_ ids: [UInt64]) async throws -> SharedConsumerState {
    guard let current = state else {
      throw GoetheError(.conflict, "consumer \(name) has no members on topic \(topic) to replay to")
    }
    let start = try store.resolveStart(.beginning, in: topic)
    var events: [StoredEvent] = []
    for id in current.replayNeedsEvents(ids) { events += try store.read(start, from: id, through: id, limit: 1) }
    return try await changeState { $0.replay(ids, events: events) }
  }

  /// Changes the live state, or the stored one when no member is joined, and stores it.
  private func changeState(_ change: (inout SharedConsumerState) -> Void) async throws -> SharedConsumerState {
    if state == nil {
      let stored = try await withStoreTurn { () -> SharedConsumerState? in
        // A member may have joined meanwhile: then the live state is the one to change.
        guard state == nil else { return nil }
        var current = try loadState()
        change(&current)
        try await save(current)
        return current
      }
      if let stored { return stored }
    }
    change(&state!)
    wakes.publish()
    try await storeIfChanged(force: true)
    if let state { return state }
    return try loadState()
  }

  // MARK: The pump

  private func run() async {
    do {
      let start = try store.resolveStart(.beginning, in: topic)
      while true {
        // A topic deleted (and perhaps made again) under the pump ends its members' deliveries:
        // nothing of its state may reach a new topic of the same name.
        try store.checkStillThere(start)
        if state?.members.isEmpty ?? true {
          try await storeIfChanged(force: true)
          guard let state else { break }
          // A change made while the store was in flight (a reset, waiting for its store turn) is
          // stored before the state is let go.
          if state.members.isEmpty, state.version == storedVersion { break }
          continue
        }
        let generation = wakes.generation
        let now = clockNow()
        state!.expire(now: now)
        let wanted = state!.freshWanted
        var atHead = false
        if wanted > 0 {
          let events = try store.read(
            start, from: state!.readThrough + 1, through: .max, limit: wanted, maxBytes: EventFeed.batchBytes)
          state!.offer(events)
          atHead = events.isEmpty
        }
        let step = state!.deliver(now: clockNow())
        send(step.deliveries)
        if atHead, state!.nothingWaiting { tellCaughtUp() }
        try await deadLetter(step.parked)
        try await storeIfChanged(force: false)
        if let state, state.freshWanted == 0 || step.deliveries.isEmpty {
          await waitForWork(
            after: generation, start, readThrough: state.readThrough, wantsEvents: state.freshWanted > 0)
        }
      }
    } catch {
      for outbox in outboxes.values { outbox.finish(throwing: error) }
      outboxes = [:]
    }
    state = nil
    pump = nil
  }

  private func send(_ deliveries: [SharedConsumerState.Delivery]) {
    for (member, batch) in Dictionary(grouping: deliveries, by: \.member) {
      caughtUp.remove(member)
      outboxes[member]?.yield(batch)
    }
  }

  /// Tells each member that holds nothing, once, that it is caught up.
  private func tellCaughtUp() {
    for (member, state) in state?.members ?? [:] where state.held.isEmpty && !caughtUp.contains(member) {
      caughtUp.insert(member)
      outboxes[member]?.yield([])
    }
  }

  /// Copies parked events to the dead-letter topic, creating it if needed.
  private func deadLetter(_ parked: [StoredEvent]) async throws {
    guard let topic = state?.settings.deadLetter, !topic.isEmpty, !parked.isEmpty else { return }
    _ = try await store.append(parked.map(\.payload), to: topic, expectedSequence: nil, createTopic: true)
  }

  /// Stores the state if it changed since it was last stored, and `force` or the interval passed.
  private func storeIfChanged(force: Bool) async throws {
    try await withStoreTurn {
      guard let state, state.version != storedVersion,
        force || ContinuousClock.now - lastStore >= Self.storeInterval
      else { return }
      lastStore = .now
      try await save(state)
      storedVersion = max(storedVersion, state.version)
    }
  }

  /// Runs `body`, which stores the state or reads it back, when no other store is in flight.
  ///
  /// The actor lets another call in at every await: two stores in flight could reach the store in
  /// either order, and an older state written last would undo a newer one (a reset, say). One at
  /// a time, each takes the state as it is when its turn comes.
  private func withStoreTurn<Result>(_ body: () async throws -> Result) async throws -> Result {
    while storing { await withCheckedContinuation { waitingToStore.append($0) } }
    storing = true
    defer {
      storing = false
      let waiting = waitingToStore
      waitingToStore = []
      for waiter in waiting { waiter.resume() }
    }
    return try await body()
  }

  private func save(_ state: SharedConsumerState) async throws {
    var record = state.record
    record.floor.updated = store.now()
    try await store.saveConsumer(topic: topic, consumer: name, record: record)
  }

  /// Waits for a member's message after `generation`, the next ack deadline or store, or
  /// (`wantsEvents`) a new event.
  private func waitForWork(after generation: UInt64, _ start: ReadStart, readThrough: UInt64, wantsEvents: Bool) async {
    let now = clockNow()
    var wait = Self.idleWake
    if let deadline = state?.nextDeadline {
      wait = min(wait, .nanoseconds(Int64(clamping: deadline > now ? deadline - now : 0)))
    }
    if state?.version != storedVersion { wait = min(wait, Self.storeInterval) }
    let (wakes, store, timeout) = (wakes, store, wait)
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await wakes.wait(after: generation, timeout: timeout) }
      if wantsEvents { group.addTask { try? await store.waitForEvents(start, after: readThrough) } }
      await group.next()
      group.cancelAll()
    }
  }

  private func loadState() throws -> SharedConsumerState {
    if let record = try store.consumerRecord(topic: topic, consumer: name) {
      return SharedConsumerState(record: record)
    }
    var record = ConsumerRecord()
    if let cursor = try store.existingCursor(topic: topic, consumer: name) {
      record.floor = CursorRecord(eventID: cursor.eventID, sequence: cursor.sequence, updated: cursor.updated)
    }
    return SharedConsumerState(record: record)
  }

  /// Nanoseconds since the consumer was made: the state machine's clock.
  private func clockNow() -> UInt64 {
    let elapsed = ContinuousClock.now - started
    return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
  }
}
