import GoetheKit
import Logging
import NIOPosix
import Synchronization

/// A leader's distribution of its writes for one leadership (epoch), on Kafka's in-sync-replica
/// model: it sends every committed write to every follower (``FollowerLink``), and acknowledges a
/// write to its client only once every follower in the in-sync set holds it. A follower that has
/// not acknowledged a write within the replica timeout is removed from the set, by compare-and-set
/// in the coordinator, before anything further is acknowledged; one that has caught up is added
/// again. With fewer in sync than `--min-insync`, writes are refused.
final class LeaderTerm: Sendable {
  let epoch: UInt64
  let settings: ReplicationSettings
  let store: any GoetheStore
  let coordinator: any Coordinator
  let signal = CommitSignal()
  /// How many heartbeats have been due: an idle link sends one request without writes for each.
  private let heartbeats = Atomic<UInt64>(0)
  private let logger: Logger
  private let state: Mutex<State>
  /// Called when a follower reports a higher epoch: this node is deposed.
  private let deposed: @Sendable (UInt64) -> Void
  private let peerTLS: PeerLinks.Security
  /// Changes of the in-sync set, one at a time, so that this node takes them up in the order the
  /// coordinator took them.
  private let inSyncChanges = AsyncTurns()

  private struct State {
    var inSync: InSyncSet
    /// Followers that have caught up and are being added to the in-sync set: writes wait for them
    /// already, since the coordinator may list them (and let them lead) before this node knows.
    var joining: Set<String> = []
    /// The last index each follower is known to hold, and when it last answered.
    var held: [String: UInt64] = [:]
    var answered: [String: ContinuousClock.Instant] = [:]
    var waiters: [Waiter] = []
    /// Why the term ended; every later write is refused with it.
    var ended: GoetheError?
  }

  private struct Waiter {
    var index: UInt64
    var since: ContinuousClock.Instant
    var continuation: CheckedContinuation<Void, any Error>
  }

  /// Takes up the in-sync set for `epoch`, and notes the cluster's size; the cluster's first
  /// leader starts it with itself.
  ///
  /// Any later leader must still be a member, with its store, in the same compare-and-set that
  /// stamps the set with its epoch. Having been one when it campaigned is not enough: the
  /// previous leader may have removed it since, and gone on to acknowledge writes it lacks. Either
  /// that removal lands first, and this node refuses to lead, or this write does, and the
  /// previous leader's removal fails on the newer epoch, which deposes it.
  static func begin(
    epoch: UInt64, settings: ReplicationSettings, store: any GoetheStore, coordinator: any Coordinator,
    members: Int, peerTLS: PeerLinks.Security, logger: Logger, deposed: @escaping @Sendable (UInt64) -> Void
  ) async throws -> LeaderTerm {
    let own = coordinator.member.nodeID
    let inSync = try await coordinator.updateInSyncSet(asLeaderOf: epoch) { current in
      guard let set = current else {
        return InSyncSet(members: [own], stores: [own: store.nodeID], clusterSize: max(members, 1), epoch: epoch)
      }
      guard set.contains(own, store: store.nodeID) else {
        throw GoetheError(
          .unavailable, "this node left the in-sync set while it campaigned; it cannot lead until it catches up")
      }
      var next = set
      next.clusterSize = max(set.clusterSize, members, 1)
      return next
    }
    return LeaderTerm(
      epoch: epoch, settings: settings, store: store, coordinator: coordinator, inSync: inSync, peerTLS: peerTLS,
      logger: logger, deposed: deposed)
  }

  private init(
    epoch: UInt64, settings: ReplicationSettings, store: any GoetheStore, coordinator: any Coordinator,
    inSync: InSyncSet, peerTLS: PeerLinks.Security, logger: Logger, deposed: @escaping @Sendable (UInt64) -> Void
  ) {
    self.peerTLS = peerTLS
    self.epoch = epoch
    self.settings = settings
    self.store = store
    self.coordinator = coordinator
    self.logger = logger
    self.deposed = deposed
    var state = State(inSync: inSync)
    state.held[coordinator.member.nodeID] = .max
    self.state = Mutex(state)
  }

  var inSync: InSyncSet { state.withLock { $0.inSync } }

  /// How many must be in sync for a write to be taken.
  func minInSync(_ set: InSyncSet) -> Int { settings.minInSync ?? (set.clusterSize / 2 + 1) }

  // MARK: Acknowledging

  /// Refuses a write before it is made if too few nodes are in sync.
  func checkEnoughInSync() throws(GoetheError) {
    let (set, ended) = state.withLock { ($0.inSync, $0.ended) }
    if let ended { throw ended }
    try Self.check(set, minimum: minInSync(set))
  }

  private static func check(_ set: InSyncSet, minimum: Int) throws(GoetheError) {
    guard set.members.count >= minimum else {
      throw GoetheError(
        .unavailable,
        "not enough in-sync replicas: \(set.members.count) of \(set.clusterSize) in sync, \(minimum) needed")
    }
  }

  /// Returns once every in-sync follower holds the write at `index`; throws if the term ends
  /// first, or the in-sync set is or becomes smaller than the minimum: a write the set shrank
  /// under after it was taken is not acknowledged either, even if every node left holds it.
  func acknowledge(upTo index: UInt64) async throws {
    signal.publish()
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      let outcome: Result<Void, GoetheError>? = state.withLock { state in
        if let ended = state.ended { return .failure(ended) }
        if let tooFew = tooFewInSync(state.inSync) { return .failure(tooFew) }
        if Self.isHeld(index, in: state) { return .success(()) }
        state.waiters.append(Waiter(index: index, since: .now, continuation: continuation))
        return nil
      }
      if let outcome { continuation.resume(with: outcome) }
    }
  }

  /// Whether every in-sync follower, and every one joining the set, holds `index`.
  private static func isHeld(_ index: UInt64, in state: State) -> Bool {
    let holds = { (node: String) in state.held[node].map { $0 >= index } ?? false }
    return state.inSync.members.allSatisfy(holds) && state.joining.allSatisfy(holds)
  }

  /// How many writes wait for the followers.
  var waitingWrites: Int { state.withLock { $0.waiters.count } }

  /// Notes what `node` holds, after an answer; wakes the writes it completes.
  func noteHeld(_ index: UInt64, by node: String) {
    let done = state.withLock { state -> [Waiter] in
      state.held[node] = max(state.held[node] ?? 0, index)
      state.answered[node] = .now
      return Self.takeHeld(&state)
    }
    for waiter in done { waiter.continuation.resume() }
  }

  private static func takeHeld(_ state: inout State) -> [Waiter] {
    let waiters = state.waiters
    let done = waiters.filter { isHeld($0.index, in: state) }
    state.waiters = waiters.filter { !isHeld($0.index, in: state) }
    return done
  }

  /// The index every in-sync node holds, and every node joining the set: once the coordinator
  /// lists a joining node it may lead, and a write it lacks may be undone.
  var highWatermark: UInt64 {
    let last = store.durableCommitIndex
    return state.withLock { state in
      min(last, state.joining.union(state.inSync.members).map { state.held[$0] ?? 0 }.min() ?? 0)
    }
  }

  /// Ends the term: every write still waiting, and every later one, is refused with `reason`, and
  /// the store takes none of this node's own under its epoch.
  func end(_ reason: GoetheError) {
    store.stopLocalWrites(through: epoch)
    let waiting = state.withLock { state in
      if state.ended == nil { state.ended = reason }
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiting { waiter.continuation.resume(throwing: reason) }
  }

  /// A follower answered with a higher epoch: another leader has taken over.
  func noteDeposed(by higher: UInt64) {
    end(GoetheError(.unavailable, "this node is no longer the leader: a leader of epoch \(higher) took over"))
    deposed(higher)
  }

  /// Ends the term, and this node's leadership with it, because of `reason`.
  private func abandon(_ reason: GoetheError) {
    end(reason)
    deposed(epoch)
  }

  // MARK: The in-sync set

  /// The thread the links to the followers run on, their connections and their tasks alike, made
  /// when the node first leads: a request goes out and its answer comes back without a switch
  /// between threads, and the links never wait behind the event loops that serve clients, whose
  /// calls hold them while they write (docs/cluster.md, "Figures").
  private static let replicationLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
  private static let replicationExecutor = EventLoopTaskExecutor(eventLoop: replicationLoop)

  /// Runs the term until it is cancelled, or until one of its parts fails (the coordinator refused
  /// a change of the in-sync set): a link to each follower, and the upkeep of the in-sync set.
  ///
  /// Each part is a child task, so that one that fails ends the others and the term: a term that
  /// went on without its upkeep would wait for ever on a follower that died.
  func run() async throws {
    let links = PeerLinks(security: peerTLS, eventLoops: Self.replicationLoop)
    defer { links.closeAll() }
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await self.keepInSyncSet() }
      group.addTask { try await self.beat() }
      group.addTask { try await self.linkToMembers(through: links) }
    }
  }

  /// Keeps a link to each member but this node, as the coordinator lists them.
  private func linkToMembers(through links: PeerLinks) async throws {
    let own = coordinator.member.nodeID
    var running: [ClusterMember: Task<Void, any Error>] = [:]
    defer { for task in running.values { task.cancel() } }
    for try await members in coordinator.members() {
      let followers = Set(members.filter { $0.nodeID != own })
      for (member, task) in running where !followers.contains(member) {
        task.cancel()
        running.removeValue(forKey: member)
      }
      let connections = links.clients(for: Array(followers))
      for (member, connection) in connections where running[member] == nil {
        let link = FollowerLink(term: self, follower: member, connection: connection, logger: logger)
        running[member] = Task(executorPreference: Self.replicationExecutor) { try await link.run() }
      }
      try await growClusterSize(to: members.count)
    }
  }

  /// Wakes the links every heartbeat, so that one with nothing to send sends a heartbeat: one
  /// timer for the term rather than one per link and wait. The store keeps the high watermark
  /// each time it has moved, for this node's next start (``FollowerReplica``).
  private func beat() async throws {
    var kept: UInt64 = 0
    while true {
      try await Task.sleep(for: settings.heartbeat)
      heartbeatDue()
      let highWatermark = self.highWatermark
      if highWatermark > kept {
        store.keep(highWatermark: highWatermark)
        kept = highWatermark
      }
    }
  }

  /// The heartbeats due so far.
  var heartbeatsDue: UInt64 { heartbeats.load(ordering: .relaxed) }

  /// Makes a heartbeat due, and wakes the links to send it.
  func heartbeatDue() {
    heartbeats.add(1, ordering: .relaxed)
    signal.publish()
  }

  /// Every check interval: removes the followers that have held up a write for longer than the
  /// replica timeout, or have not answered for that long, and refuses what waits if too few are
  /// left.
  private func keepInSyncSet() async throws {
    while true {
      try await Task.sleep(for: settings.checkInterval)
      let now = ContinuousClock.now
      let late = state.withLock { state in
        state.inSync.members.filter { node in
          guard node != coordinator.member.nodeID else { return false }
          let held = state.held[node] ?? 0
          let heldUp = state.waiters.contains { $0.index > held && now - $0.since > settings.replicaTimeout }
          let silent = state.answered[node].map { now - $0 > settings.replicaTimeout } ?? heldUp
          return heldUp || silent
        }
      }
      for node in late {
        logger.warning(
          "removing a follower from the in-sync set: it has not acknowledged within the replica timeout",
          metadata: ["follower": "\(node)", "timeout": "\(settings.replicaTimeout)"])
        try await changeInSyncSet { $0.removing(node) }
      }
    }
  }

  /// Adds `node`, with its store `store`, to the in-sync set once it holds every write this node has.
  ///
  /// Writes wait for it from the moment it is added here, before the coordinator has the change:
  /// once the coordinator lists it, it may win an election, so no write may be acknowledged
  /// without it, even one acknowledged while the change is on its way (Kafka's pending in-sync
  /// replicas work so).
  ///
  /// A change that fails may still have been made (etcd applied it, and its answer was lost), so
  /// the coordinator may list the node while this one does not: the term ends, as for any change
  /// of the set the coordinator did not confirm, and the writes waiting are not acknowledged. The
  /// next leader takes up the set as the coordinator has it.
  func noteCaughtUp(_ node: String, store: String) async throws {
    let joins = state.withLock { state in
      guard !state.inSync.contains(node, store: store), !state.joining.contains(node) else { return false }
      state.joining.insert(node)
      return true
    }
    guard joins else { return }
    logger.info("a follower has caught up: adding it to the in-sync set", metadata: ["follower": "\(node)"])
    do {
      try await changeInSyncSet { $0.adding(node, store: store) }
      state.withLock { _ = $0.joining.remove(node) }
    } catch {
      abandon(
        GoetheError(
          .unavailable,
          "this node stopped leading: adding \(node) to the in-sync set failed (\(error)); the write is stored on this node but not acknowledged"
        ))
      throw error
    }
  }

  private func growClusterSize(to members: Int) async throws {
    guard state.withLock({ members > $0.inSync.clusterSize }) else { return }
    try await changeInSyncSet { set in
      var grown = set
      grown.clusterSize = max(set.clusterSize, members)
      return grown
    }
  }

  /// Writes a change of the in-sync set to the coordinator first, then takes it up, and wakes or
  /// refuses the writes it decides; one change at a time.
  private func changeInSyncSet(_ change: @escaping @Sendable (InSyncSet) -> InSyncSet) async throws {
    try await inSyncChanges.run { try await takeUpInSyncSetChange(change) }
  }

  private func takeUpInSyncSetChange(_ change: @escaping @Sendable (InSyncSet) -> InSyncSet) async throws {
    let written: InSyncSet
    do {
      let fallback = inSync
      written = try await coordinator.updateInSyncSet(asLeaderOf: epoch) { change($0 ?? fallback) }
    } catch let error as InSyncSetTakenOver {
      noteDeposed(by: error.epoch)
      throw error
    }
    let (done, refused) = state.withLock { state -> ([Waiter], (GoetheError, [Waiter])?) in
      state.inSync = written
      if let tooFew = tooFewInSync(written) {
        defer { state.waiters = [] }
        return ([], (tooFew, state.waiters))
      }
      return (Self.takeHeld(&state), nil)
    }
    for waiter in done { waiter.continuation.resume() }
    if let (tooFew, waiters) = refused {
      for waiter in waiters { waiter.continuation.resume(throwing: tooFew) }
    }
  }

  /// Why a write taken is not acknowledged under `set`, if it has fewer members than the minimum.
  private func tooFewInSync(_ set: InSyncSet) -> GoetheError? {
    let minimum = minInSync(set)
    guard set.members.count < minimum else { return nil }
    return GoetheError(
      .unavailable,
      "not enough in-sync replicas: \(set.members.count) of \(set.clusterSize) in sync, \(minimum) needed; the write is stored on this node but not acknowledged"
    )
  }
}

/// How the leader distributes writes (`--replica-timeout`, `--min-insync`).
struct ReplicationSettings: Sendable, Equatable {
  /// How long a follower may hold up a write before it leaves the in-sync set.
  var replicaTimeout: Duration = .seconds(5)
  /// How many nodes, the leader included, must be in sync to take a write; nil: a majority.
  var minInSync: Int?
  /// How often an idle link tells its follower the leader's epoch and high watermark.
  var heartbeat: Duration = .milliseconds(250)
  /// How often the leader looks for late followers.
  var checkInterval: Duration = .milliseconds(250)
  /// The most writes, and about the most payload bytes, in one request.
  var batchWrites = 512
  var batchBytes = 4 << 20
}
