import Foundation
import GoetheKit
import SwiftProtobuf
import TestSupport
import Testing

@testable import goethe

/// The shared consumer's state machine against a model that keeps, per event, only its status and
/// delivery count: random joins, leaves, credit, new events, deliveries, acks (one, up to an id,
/// late), rejects, time past the ack wait, restarts from the stored record (after which the topic
/// is read again a few events at a time, as the driver reads it) and replays of parked events. After each step the machine must agree with the model. GOETHE_FUZZ_SEED replays a run;
/// otherwise a fixed set of seeds runs, and a failure names its seed.
@Suite struct SharedConsumerStateTests {
  static let seeds: [UInt64] =
    ProcessInfo.processInfo.environment["GOETHE_FUZZ_SEED"].flatMap(UInt64.init).map { [$0] } ?? Array(1...40)

  @Test(arguments: seeds) func agreesWithTheModel(seed: UInt64) {
    var run = ModelRun(seed: seed)
    for step in 0..<Fuzzing.iterations(1_500) {
      run.step()
      if let problem = run.problem {
        Issue.record("seed \(seed), step \(step): \(problem); GOETHE_FUZZ_SEED=\(seed) replays it")
        return
      }
    }
  }

  /// Credit and ack deadlines a client can push to the top of their range stay there instead of
  /// overflowing (which would stop the daemon), and a wait that long is refused up front.
  @Test func creditAndDeadlinesAtTheirLargestDoNotOverflow() throws {
    var record = ConsumerRecord()
    record.settings.ackWait = .max
    var state = SharedConsumerState(record: record)
    state.join(1, name: "m1")
    state.grant(1, .max)
    state.grant(1, .max)
    state.offer((1...3).map { Self.event($0) })
    let step = state.deliver(now: .max - 1)
    #expect(step.deliveries.map(\.event.id) == [1, 2, 3])
    #expect(state.nextDeadline == .max)

    #expect(throws: GoetheError.self) {
      try ConsumerSettingsChange(.with { $0.ackWaitMillis = ConsumerSettingsChange.maxAckWaitMillis + 1 })
    }
    let longest = try ConsumerSettingsChange(.with { $0.ackWaitMillis = ConsumerSettingsChange.maxAckWaitMillis })
    #expect(longest.ackWait == ConsumerSettingsChange.maxAckWaitMillis * 1_000_000)
  }

  @Test func splitsEventsAcrossMembersInTurn() {
    var state = SharedConsumerState(record: ConsumerRecord())
    for member in 1...3 as ClosedRange<UInt64> {
      state.join(member, name: "m\(member)")
      state.grant(member, 10)
    }
    state.offer((1...9).map { Self.event($0) })
    let step = state.deliver(now: 0)
    #expect(step.deliveries.map(\.event.id) == Array(1...9))
    #expect(Dictionary(grouping: step.deliveries, by: \.member).mapValues(\.count) == [1: 3, 2: 3, 3: 3])
  }

  @Test func aRestartDeliversOnlyWhatWasNotAcknowledged() {
    var state = SharedConsumerState(record: ConsumerRecord())
    state.join(1, name: "m")
    state.grant(1, 10)
    state.offer((1...5).map { Self.event($0) })
    _ = state.deliver(now: 0)
    state.ack(1)
    state.ack(3)
    state.ack(5)
    #expect(state.floor.eventID == 1)
    #expect(state.record.acked == [3, 5])

    var restarted = SharedConsumerState(record: state.record)
    restarted.join(2, name: "m")
    restarted.grant(2, 10)
    restarted.offer((2...5).map { Self.event($0) })
    #expect(restarted.deliver(now: 0).deliveries.map(\.event.id) == [2, 4])
  }

  @Test func parksAfterMaxDeliveries() {
    var record = ConsumerRecord()
    record.settings.maxDeliveries = 2
    record.settings.ackWait = 10
    var state = SharedConsumerState(record: record)
    state.join(1, name: "m")
    state.grant(1, 10)
    state.offer([Self.event(1)])
    #expect(state.deliver(now: 0).deliveries.count == 1)
    state.expire(now: 10)
    #expect(state.deliver(now: 10).deliveries.map(\.delivery) == [2])
    state.expire(now: 20)
    let step = state.deliver(now: 20)
    #expect(step.deliveries.isEmpty && step.parked.map(\.id) == [1])
    #expect(state.floor.eventID == 1 && state.record.parked.map(\.id) == [1])
  }

  /// A parked event the consumer has not read again yet (after a restart, or a reset to an earlier
  /// event) is replayed when it comes from the topic: delivered once, and its ack kept.
  @Test(arguments: [false, true])
  func aReplayOfAParkedEventNotReadAgainYetDeliversItOnce(deliveringBeforeTheTopicIsRead: Bool) {
    var record = ConsumerRecord()
    record.parked = [ParkedEvent(id: 3, sequence: 3, deliveries: 2)]
    // The floor is 0: events 1 and 2 were not acknowledged before the restart.
    var state = SharedConsumerState(record: record)
    state.join(1, name: "m")
    state.grant(1, 10)
    state.replay([3], events: state.replayNeedsEvents([3]).map { Self.event($0) })
    var delivered: [UInt64] = []
    func deliverAndAck() {
      let ids = state.deliver(now: 0).deliveries.map(\.event.id)
      delivered += ids
      for id in ids { state.ack(id) }
    }
    if deliveringBeforeTheTopicIsRead { deliverAndAck() }
    state.offer((1...4).map { Self.event($0) })
    deliverAndAck()
    #expect(delivered.sorted() == [1, 2, 3, 4])
    #expect(state.record.parked.isEmpty)
    #expect(state.floor.eventID == 4)
  }

  static func event(_ id: UInt64) -> StoredEvent {
    StoredEvent(topic: "t", id: id, sequence: id, payload: Data())
  }
}

/// One random run: the machine and the model, side by side.
private struct ModelRun {
  enum Status: Equatable {
    case waiting
    case held(UInt64)
    case acknowledged
    case parked
  }

  var random: SplitMix64
  var state: SharedConsumerState
  var settings: ConsumerSettings
  /// The model: every event offered, by id, with its status and deliveries.
  var status: [UInt64: Status] = [:]
  var deliveries: [UInt64: UInt32] = [:]
  var credit: [UInt64: UInt64] = [:]
  /// Every id offered, in order, and the floor: the newest id up to which all are settled.
  var offered: [UInt64] = []
  var floorIndex = 0
  var floor: UInt64 = 0
  /// Replayed events not acknowledged yet: they stay among the parked until they are.
  var replayed: Set<UInt64> = []
  /// Events after the floor that a restarted machine has not read again yet, in id order.
  var unread: [UInt64] = []
  /// The deadline of each held event: its delivery time plus the ack wait.
  var heldDeadline: [UInt64: UInt64] = [:]
  var nextID: UInt64 = 1
  var nextMember: UInt64 = 1
  var now: UInt64 = 0
  var problem: String?

  init(seed: UInt64) {
    random = SplitMix64(seed: seed)
    settings = ConsumerSettings()
    settings.ackWait = 100
    settings.maxDeliveries = UInt32.random(in: 0...3, using: &random)
    settings.maxPending = UInt32.random(in: 1...6, using: &random)
    state = SharedConsumerState(
      record: ConsumerRecord(
        settings: settings, floor: .init(eventID: 0, sequence: 0, updated: 0), acked: [], parked: []),
      windowLimit: 1_000)
  }

  var members: [UInt64] { credit.keys.sorted() }

  mutating func step() {
    switch Int.random(in: 0..<100, using: &random) {
    case 0..<8 where credit.count < 4: join()
    case 8..<12 where !credit.isEmpty: leave(members.randomElement(using: &random)!)
    case 12..<25 where !credit.isEmpty: grant(members.randomElement(using: &random)!)
    case 25..<35: offer()
    case 35..<55: deliver()
    case 55..<70: ackOne(held: true)
    case 70..<73: ackOne(held: false)
    case 73..<78: ackUpTo()
    case 78..<83: reject()
    case 83..<90: passTime()
    case 90..<92: restart()
    case 92..<94: replay()
    default: deliver()
    }
    check()
  }

  mutating func join() {
    let member = nextMember
    nextMember += 1
    state.join(member, name: "m\(member)")
    credit[member] = 0
  }

  mutating func leave(_ member: UInt64) {
    state.leave(member)
    credit[member] = nil
    for (id, value) in status where value == .held(member) { status[id] = .waiting }
  }

  mutating func grant(_ member: UInt64) {
    let count = UInt64.random(in: 1...5, using: &random)
    state.grant(member, count)
    credit[member]! += count
  }

  mutating func offer() {
    if !unread.isEmpty { return readAgain() }
    let wanted = state.freshWanted
    let count = Int.random(in: 0...max(1, wanted), using: &random)
    var events: [StoredEvent] = []
    for _ in 0..<count {
      nextID += UInt64.random(in: 1...3, using: &random)
      events.append(StoredEvent(topic: "t", id: nextID, sequence: nextID, payload: Data()))
      status[nextID] = .waiting
      deliveries[nextID] = 0
      offered.append(nextID)
    }
    state.offer(events)
  }

  /// The restarted machine reads the next few events after the floor again.
  mutating func readAgain() {
    let count = Int.random(in: 1...min(unread.count, 5), using: &random)
    state.offer(unread.prefix(count).map { StoredEvent(topic: "t", id: $0, sequence: $0, payload: Data()) })
    unread.removeFirst(count)
  }

  mutating func deliver() {
    let step = state.deliver(now: now)
    for delivery in step.deliveries {
      let id = delivery.event.id
      guard status[id] == .waiting else {
        return fail("event \(id) delivered to \(delivery.member) while \(String(describing: status[id]))")
      }
      guard let left = credit[delivery.member], left > 0 else {
        return fail("event \(id) delivered to \(delivery.member), which has no credit")
      }
      guard settings.maxDeliveries == 0 || deliveries[id]! < settings.maxDeliveries else {
        return fail("event \(id) delivered past max deliveries")
      }
      deliveries[id]! += 1
      guard delivery.delivery == deliveries[id]! else { return fail("event \(id) delivery counted wrong") }
      credit[delivery.member] = left - 1
      status[id] = .held(delivery.member)
      heldDeadline[id] = now + settings.ackWait
      let held = status.values.filter { $0 == .held(delivery.member) }.count
      guard held <= settings.maxPending else { return fail("member \(delivery.member) holds \(held) events") }
    }
    for event in step.parked {
      guard status[event.id] == .waiting, settings.maxDeliveries > 0,
        deliveries[event.id]! >= settings.maxDeliveries
      else { return fail("event \(event.id) parked too early") }
      status[event.id] = .parked
    }
    // Nothing a member has room and credit for is left waiting (among the events read).
    let waiting = status.filter { $0.value == .waiting && !unread.contains($0.key) }.keys
    let free = credit.contains { member, credit in
      credit > 0 && status.values.filter { $0 == .held(member) }.count < settings.maxPending
    }
    if !waiting.isEmpty, free { fail("events \(waiting.sorted().prefix(5)) wait while a member has room") }
  }

  mutating func ackOne(held: Bool) {
    let candidates = status.filter {
      held ? ($0.value != .acknowledged && $0.value != .parked && $0.value != .waiting) : true
    }
    guard let id = candidates.keys.sorted().randomElement(using: &random) else { return }
    state.ack(id)
    // An ack of an event the restarted machine has not read again is not known to it: the event
    // comes again (at least once).
    if status[id] != .parked, !unread.contains(id) {
      status[id] = .acknowledged
      replayed.remove(id)
    }
  }

  mutating func ackUpTo() {
    guard let member = members.randomElement(using: &random),
      let id = status.filter({ $0.value == .held(member) }).keys.sorted().randomElement(using: &random)
    else { return }
    state.ack(member, upTo: id)
    for (other, value) in status where value == .held(member) && other <= id {
      status[other] = .acknowledged
      replayed.remove(other)
    }
  }

  mutating func reject() {
    guard
      let (id, value) = status.filter({ if case .held = $0.value { true } else { false } }).sorted(by: {
        $0.key < $1.key
      }).randomElement(using: &random),
      case .held(let member) = value
    else { return }
    state.reject(member, id)
    status[id] = .waiting
  }

  mutating func passTime() {
    now += UInt64.random(in: 1...150, using: &random)
    state.expire(now: now)
    for (id, value) in status {
      if case .held = value, heldDeadline[id].map({ $0 <= now }) ?? false { status[id] = .waiting }
    }
  }

  mutating func restart() {
    let record = state.record
    state = SharedConsumerState(record: record, windowLimit: 1_000)
    for member in members { credit[member] = nil }
    for (id, value) in status {
      if case .held = value { status[id] = .waiting }
    }
    // A replay not acknowledged before the restart is parked again; delivery counts of the
    // events not parked start again.
    for id in replayed { status[id] = .parked }
    for (id, value) in status where value == .waiting { deliveries[id] = 0 }
    // The driver reads the topic again after the floor, a few events at a time (``offer()``).
    unread = status.keys.filter { $0 > record.floor.eventID }.sorted()
  }

  mutating func replay() {
    let parked = status.filter { $0.value == .parked }.keys.sorted()
    guard !parked.isEmpty else { return }
    let events = state.replayNeedsEvents([]).map { StoredEvent(topic: "t", id: $0, sequence: $0, payload: Data()) }
    state.replay([], events: events)
    for id in parked {
      status[id] = .waiting
      deliveries[id] = 0
      replayed.insert(id)
    }
  }

  mutating func check() {
    guard problem == nil else { return }
    while floorIndex < offered.count, [.acknowledged, .parked].contains(status[offered[floorIndex]]),
      !unread.contains(offered[floorIndex])
    {
      floor = offered[floorIndex]
      floorIndex += 1
    }
    if state.floor.eventID != floor { fail("floor \(state.floor.eventID), expected \(floor)") }
    let held = status.filter { if case .held = $0.value { true } else { false } }.count
    if state.heldCount != held { fail("\(state.heldCount) events held, expected \(held)") }
    let parked = Set(status.filter { $0.value == .parked }.keys).union(replayed)
    if Set(state.record.parked.map(\.id)) != parked {
      fail("parked \(state.record.parked.map(\.id)), expected \(parked.sorted())")
    }
  }

  mutating func fail(_ message: String) {
    if problem == nil { problem = message }
  }
}
