import GoetheKit

/// One shared consumer of a topic as a value, with no I/O: its members, the events it has taken
/// from the topic after its ack floor, which member holds which, and what to deliver next.
///
/// The driver (``SharedConsumer``) feeds it the topic's events (``offer(_:)``), the members'
/// credit, acks and rejects, and the time; ``deliver(now:)`` says which member gets which event and
/// which events are parked. Events after the floor live in the *window*, in id order: each is
/// waiting for a member, held by one, acknowledged, or parked. The floor moves over the settled
/// (acknowledged or parked) events at the window's front.
struct SharedConsumerState: Sendable {
  typealias MemberID = UInt64

  /// One event handed to a member; `delivery` counts from 1.
  struct Delivery: Equatable, Sendable {
    var member: MemberID
    var event: StoredEvent
    var delivery: UInt32
  }

  /// What one ``deliver(now:)`` decided.
  struct Step: Equatable, Sendable {
    var deliveries: [Delivery] = []
    /// Events whose deliveries ran out: parked, to copy to the dead-letter topic if there is one.
    var parked: [StoredEvent] = []
  }

  enum Status: Equatable, Sendable {
    /// Waiting for a member: never delivered, or due again.
    case waiting
    /// Held by `member` until `deadline` (nanoseconds on the driver's clock).
    case held(member: MemberID, deadline: UInt64)
    case acknowledged
    case parked
  }

  struct Entry: Sendable {
    var event: StoredEvent
    var status: Status
    var deliveries: UInt32
  }

  struct Member: Sendable {
    var name: String
    /// Events the member has asked for and not been sent yet.
    var credit: UInt64 = 0
    var held: Set<UInt64> = []
  }

  private(set) var settings: ConsumerSettings
  /// The newest event up to which every event is settled.
  private(set) var floor: CursorRecord
  private(set) var members: [MemberID: Member] = [:]
  /// The parked events, also those behind the floor, by id.
  private(set) var parked: [UInt64: ParkedEvent]
  /// Deliveries after the first since the state was made.
  private(set) var redeliveries: UInt64 = 0
  /// Counts the changes to what is stored, so that the driver knows whether to store again.
  private(set) var version: UInt64 = 0
  /// The newest event taken from the topic: fresh events come after it.
  private(set) var readThrough: UInt64

  /// The window: `entries[first...]`, in id order; `positions` maps ids to indices in `entries`.
  private var entries: [Entry] = []
  private var first = 0
  private var positions: [UInt64: Int] = [:]
  /// Parked events being replayed, which are behind the floor: delivered apart from the window.
  private var replays: [UInt64: Entry] = [:]
  /// Parked events being replayed that are not taken from the topic yet (after a restart, or a
  /// reset to an earlier event): they wait as fresh events when they come, not as parked ones.
  private var replaysToCome: Set<UInt64> = []
  /// Events due again, in the order they became due; stale ids are skipped when taken.
  private var due: [UInt64] = []
  private var dueFirst = 0
  /// The index in `entries` of the first event never delivered.
  private var nextFresh = 0
  /// Acks after the floor that were stored before a restart, applied as their events come back.
  private var storedAcks: Set<UInt64>
  /// Members in join order, and whose turn it is next.
  private var order: [MemberID] = []
  private var turn = 0

  /// The most events the window holds, so that one stuck event cannot make it grow without end.
  let windowLimit: Int

  init(record: ConsumerRecord, windowLimit: Int = 20_000) {
    settings = record.settings
    floor = record.floor
    readThrough = record.floor.eventID
    storedAcks = Set(record.acked.filter { $0 > record.floor.eventID })
    parked = Dictionary(record.parked.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    self.windowLimit = windowLimit
  }

  /// What to store: settings, floor, the acks after it, and the parked events.
  var record: ConsumerRecord {
    let acked = entries[first...].filter { $0.status == .acknowledged }.map(\.event.id)
    return ConsumerRecord(
      settings: settings, floor: floor, acked: (acked + storedAcks.sorted()).sorted(),
      parked: parked.values.sorted { $0.id < $1.id })
  }

  // MARK: Members

  mutating func join(_ member: MemberID, name: String) {
    members[member] = Member(name: name)
    order.append(member)
  }

  /// The member is gone: what it held is due again at once, for the others.
  mutating func leave(_ member: MemberID) {
    guard let gone = members.removeValue(forKey: member) else { return }
    order.removeAll { $0 == member }
    for id in gone.held.sorted() { makeDue(id) }
  }

  /// The member can take `count` more events; credit past what a UInt64 holds is as good as
  /// endless, and stays at its largest.
  mutating func grant(_ member: MemberID, _ count: UInt64) {
    guard let credit = members[member]?.credit else { return }
    let (sum, overflow) = credit.addingReportingOverflow(count)
    members[member]?.credit = overflow ? .max : sum
  }

  mutating func change(_ change: ConsumerSettingsChange) {
    let changed = change.applied(to: settings)
    if changed != settings {
      settings = changed
      version += 1
    }
  }

  // MARK: Events

  /// How many events after ``readThrough`` the state can use now: as many as the members have
  /// room for, beyond the events already waiting, within the window's limit.
  var freshWanted: Int {
    let room = members.values.reduce(0) { $0 + Int(min($1.credit, UInt64(capacityLeft(of: $1)))) }
    let waiting = (entries.count - nextFresh) + (due.count - dueFirst)
    return max(0, min(room - waiting, windowLimit - (entries.count - first)))
  }

  /// Takes the topic's next events, after ``readThrough``, in id order.
  mutating func offer(_ events: [StoredEvent]) {
    for event in events where event.id > readThrough {
      readThrough = event.id
      var entry = Entry(event: event, status: .waiting, deliveries: 0)
      if storedAcks.remove(event.id) != nil {
        entry.status = .acknowledged
      } else if replaysToCome.remove(event.id) != nil {
        entry.status = .waiting
      } else if let parked = parked[event.id] {
        entry.status = .parked
        entry.deliveries = parked.deliveries
      }
      positions[event.id] = entries.count
      entries.append(entry)
      if entry.status != .waiting, nextFresh == entries.count - 1 { nextFresh += 1 }
    }
    advanceFloor()
  }

  /// Hands waiting events to members with credit and room, due events first, each member in turn;
  /// an event whose deliveries have run out is parked instead.
  mutating func deliver(now: UInt64) -> Step {
    var step = Step()
    while let id = nextWaiting() {
      var entry = self[id]!
      if settings.maxDeliveries > 0, entry.deliveries >= settings.maxDeliveries {
        park(id, &entry)
        step.parked.append(entry.event)
        continue
      }
      guard let member = nextMember(avoiding: entry.deliveries > 0 ? lastHolder[id] : nil) else {
        putBack(id)
        break
      }
      entry.deliveries += 1
      if entry.deliveries > 1 { redeliveries += 1 }
      let (deadline, overflow) = now.addingReportingOverflow(settings.ackWait)
      entry.status = .held(member: member, deadline: overflow ? .max : deadline)
      self[id] = entry
      members[member]!.credit -= 1
      members[member]!.held.insert(id)
      lastHolder[id] = member
      step.deliveries.append(Delivery(member: member, event: entry.event, delivery: entry.deliveries))
    }
    advanceFloor()
    return step
  }

  /// Events held past their deadline are due again.
  mutating func expire(now: UInt64) {
    for (member, state) in members {
      for id in state.held {
        if case .held(member, let deadline) = self[id]?.status, deadline <= now { makeDue(id) }
      }
    }
  }

  /// The earliest deadline of an event held, to wake up for.
  var nextDeadline: UInt64? {
    members.values.flatMap(\.held).compactMap { id -> UInt64? in
      if case .held(_, let deadline) = self[id]?.status { deadline } else { nil }
    }.min()
  }

  // MARK: Acks

  /// `id` is processed. Whoever holds it, an event not yet settled is settled by it: an ack that
  /// comes late, after the event went to another member, still counts.
  mutating func ack(_ id: UInt64) {
    guard var entry = self[id] else { return }
    switch entry.status {
    case .acknowledged, .parked: return
    case .held(let member, _): members[member]?.held.remove(id)
    case .waiting: break
    }
    entry.status = .acknowledged
    settle(id, entry)
  }

  /// Acknowledges every event `member` holds up to and including `id`.
  mutating func ack(_ member: MemberID, upTo id: UInt64) {
    for held in members[member]?.held.filter({ $0 <= id }).sorted() ?? [] { ack(held) }
  }

  /// `member` cannot process `id`: it is due again at once.
  mutating func reject(_ member: MemberID, _ id: UInt64) {
    if case .held(member, _) = self[id]?.status { makeDue(id) }
  }

  // MARK: Parking and resets

  /// Delivers parked events again, with their deliveries counted from 0; every parked event when
  /// `ids` is empty.
  mutating func replay(_ ids: [UInt64], events: [StoredEvent]) {
    let chosen = ids.isEmpty ? Set(parked.keys) : Set(ids).intersection(parked.keys)
    for id in chosen.sorted() {
      if var entry = self[id] {
        guard entry.status == .parked else { continue }
        entry.deliveries = 0
        self[id] = entry
        makeDue(id)
      } else if id > readThrough {
        replaysToCome.insert(id)
      } else if let event = events.first(where: { $0.id == id }) {
        replays[id] = Entry(event: event, status: .parked, deliveries: 0)
        makeDue(id)
      }
    }
  }

  /// Parked ids that are behind the floor, whose events a replay has to be given. (Those after
  /// ``readThrough`` come from the topic in their turn.)
  func replayNeedsEvents(_ ids: [UInt64]) -> [UInt64] {
    (ids.isEmpty ? Array(parked.keys) : ids).filter {
      parked[$0] != nil && positions[$0] == nil && $0 <= readThrough
    }.sorted()
  }

  /// Moves the floor to `cursor`: the window, the stored acks and what members hold are dropped,
  /// and delivery goes on after it. Parked events stay parked.
  mutating func reset(to cursor: CursorRecord) {
    floor = cursor
    readThrough = cursor.eventID
    entries = []
    first = 0
    nextFresh = 0
    positions = [:]
    replays = [:]
    replaysToCome = []
    due = []
    dueFirst = 0
    storedAcks = []
    lastHolder = [:]
    for member in members.keys { members[member]!.held = [] }
    version += 1
  }

  // MARK: Counts

  /// Events members hold.
  var heldCount: Int { members.values.reduce(0) { $0 + $1.held.count } }

  /// Whether no event taken from the topic waits for a member.
  var nothingWaiting: Bool {
    entries[nextFresh...].allSatisfy { $0.status != .waiting }
      && due[dueFirst...].allSatisfy { self[$0]?.status != .waiting }
  }

  // MARK: Inside

  /// Who held each event last, so that a due event goes to another member when one has room.
  private var lastHolder: [UInt64: MemberID] = [:]

  private subscript(id: UInt64) -> Entry? {
    get {
      if let index = positions[id] { return entries[index] }
      return replays[id]
    }
    set {
      if let index = positions[id] {
        entries[index] = newValue!
      } else {
        replays[id] = newValue
      }
    }
  }

  private func capacityLeft(of member: Member) -> Int {
    max(0, Int(settings.maxPending) - member.held.count)
  }

  /// The member whose turn it is among those with credit and room, another than `avoided` if any.
  private mutating func nextMember(avoiding avoided: MemberID?) -> MemberID? {
    var fallback: (member: MemberID, index: Int)?
    for step in 0..<order.count {
      let index = (turn + step) % order.count
      let member = order[index]
      let state = members[member]!
      guard state.credit > 0, capacityLeft(of: state) > 0 else { continue }
      if member == avoided {
        fallback = fallback ?? (member, index)
        continue
      }
      turn = index + 1
      return member
    }
    guard let fallback else { return nil }
    turn = fallback.index + 1
    return fallback.member
  }

  /// The next event waiting: due events first, then fresh ones.
  private mutating func nextWaiting() -> UInt64? {
    while dueFirst < due.count {
      let id = due[dueFirst]
      dueFirst += 1
      if self[id]?.status == .waiting { return id }
    }
    due = []
    dueFirst = 0
    while nextFresh < entries.count {
      let index = nextFresh
      nextFresh += 1
      if entries[index].status == .waiting { return entries[index].event.id }
    }
    return nil
  }

  /// Undoes taking `id` when no member could have it.
  private mutating func putBack(_ id: UInt64) {
    if let index = positions[id], index == nextFresh - 1, self[id]?.deliveries == 0 {
      nextFresh -= 1
    } else {
      due.insert(id, at: dueFirst)
    }
  }

  private mutating func makeDue(_ id: UInt64) {
    guard var entry = self[id] else { return }
    if case .held(let member, _) = entry.status { members[member]?.held.remove(id) }
    entry.status = .waiting
    self[id] = entry
    due.append(id)
  }

  private mutating func park(_ id: UInt64, _ entry: inout Entry) {
    entry.status = .parked
    parked[id] = ParkedEvent(id: id, sequence: entry.event.sequence, deliveries: entry.deliveries)
    settle(id, entry)
  }

  /// Records a settled event: a replayed one leaves the parked events when acknowledged.
  private mutating func settle(_ id: UInt64, _ entry: Entry) {
    lastHolder[id] = nil
    version += 1
    if positions[id] == nil {
      replays[id] = nil
      if entry.status == .acknowledged { parked[id] = nil }
      return
    }
    self[id] = entry
    if entry.status == .acknowledged { parked[id] = nil }
    advanceFloor()
  }

  /// Moves the floor over the settled events at the window's front.
  private mutating func advanceFloor() {
    var moved = false
    while first < entries.count {
      let entry = entries[first]
      guard entry.status == .acknowledged || entry.status == .parked else { break }
      floor = CursorRecord(eventID: entry.event.id, sequence: entry.event.sequence, updated: floor.updated)
      positions[entry.event.id] = nil
      first += 1
      moved = true
    }
    if moved { version += 1 }
    compactWindow()
  }

  /// Drops the settled front of `entries` once it is most of the array.
  private mutating func compactWindow() {
    guard first > 1_024, first * 2 > entries.count else { return }
    entries.removeFirst(first)
    nextFresh -= first
    first = 0
    positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.event.id, $0) })
  }
}
