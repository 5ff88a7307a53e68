import Foundation
import GRPCCore
import GoetheKit
import Logging
import SwiftProtobuf
import Synchronization

/// The coordinator of a cluster in etcd v3, under `/goethe/<cluster>/` (see ``EtcdKeys``).
///
/// Each node holds one lease, which ``run()`` grants and keeps alive, and which carries both its
/// member key and, while it campaigns or leads, its candidate key in etcd's election. The epoch of a
/// leadership is the creation revision of the leader's candidate key: etcd's revisions only grow,
/// and candidates lead in the order their keys were created, so each leader's epoch is above every
/// earlier one.
final class EtcdCoordinator: Coordinator {
  struct Settings: Sendable {
    var endpoints: EtcdEndpoints
    var cluster: String
    /// How long the lease outlives the last renewal etcd received.
    var leaseTTL: Duration = .seconds(10)
    /// The deadline of each request-response call to etcd.
    var requestTimeout: Duration = .seconds(5)
  }

  let member: ClusterMember
  let settings: Settings
  let keys: EtcdKeys
  let client: EtcdClient
  private let logger: Logger
  private let state = Mutex(State())

  private struct State {
    var lease: HeldLease?
    /// Campaigns waiting for ``run()`` to hold a lease.
    var leaseWaiters: [UUID: CheckedContinuation<Int64, any Error>] = [:]
    /// The candidate key of this node's leadership, while it leads.
    var leadership: V3electionpb_LeaderKey?
    /// The highest epoch this node has seen, its own included.
    var highestEpoch: UInt64 = 0
    /// Why the last attempt to reach etcd failed, for the error of a campaign that got no lease.
    var lastFailure: (any Error)?
  }

  private struct HeldLease {
    var id: Int64
    /// Until when the lease surely lives, by this node's clock: the last renewal etcd acknowledged,
    /// counted from when this node sent it (before etcd received it), plus the TTL.
    var validUntil: ContinuousClock.Instant
  }

  /// A coordinator of `member` in `settings.cluster`. Nothing is dialled until ``run()``: calls
  /// made before it runs wait for it, up to their deadline.
  init(member: ClusterMember, settings: Settings, logger: Logger = Logger(label: "goethe.cluster")) throws {
    self.member = member
    self.settings = settings
    self.keys = EtcdKeys(cluster: settings.cluster)
    self.client = try EtcdClient(endpoints: settings.endpoints, requestTimeout: settings.requestTimeout)
    self.logger = logger
  }

  // MARK: Membership and lease

  /// Runs the connection to etcd, and the session: the lease, the member key, and following the
  /// election. Runs once; when it is cancelled the lease is revoked, so the member leaves at once,
  /// and the connection closes, which ends every other call and stream of this coordinator.
  func run() async throws {
    // The connection runs in a task of its own rather than a child, so that it outlives the
    // cancellation of run() for as long as the revocation takes.
    let connections = Task { try await client.runConnections() }
    var retry = EtcdRetryDelay(limit: max(settings.leaseTTL / 3, .milliseconds(100)))
    while true {
      do {
        try await runSession { retry.reset() }
      } catch {
        if Task.isCancelled { break }
        if let error = error as? EtcdLeaseLost {
          logger.warning("the etcd lease ran out; registering again", metadata: ["lease": "\(error.id)"])
          forgetLease(error.id)
        } else {
          logger.warning("etcd failed; trying again", metadata: ["error": "\(error)"])
        }
        state.withLock { $0.lastFailure = error }
      }
      do { try await Task.sleep(for: retry.next()) } catch { break }
    }
    await revokeLease()
    client.close()
    connections.cancel()
    _ = await connections.result
    throw CancellationError()
  }

  /// Holds a lease (the one still held after an outage, if etcd still has it, or a new one), puts
  /// the member key under it, then keeps it alive and follows the election until something fails.
  private func runSession(registered: () -> Void) async throws {
    let lease: Int64
    if let held = state.withLock({ $0.lease?.id }) {
      lease = held
    } else {
      let sent = ContinuousClock.now
      let granted = try await client.grantLease(ttl: settings.leaseTTL)
      lease = granted.id
      setLease(HeldLease(id: lease, validUntil: sent + .seconds(granted.ttl)))
    }
    do {
      _ = try await client.put(
        .with {
          $0.key = Data(etcdKey: keys.member(member.nodeID))
          $0.value = Data(EtcdMemberRecord(member).encoded)
          $0.lease = lease
        })
    } catch let error as GoetheError where error.code == .notFound {
      throw EtcdLeaseLost(id: lease)  // "requested lease not found"
    }
    registered()
    logger.debug("registered in etcd", metadata: ["lease": "\(lease)", "key": "\(keys.member(member.nodeID))"])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await self.keepAlive(lease) }
      group.addTask { try await self.watchRenewals(lease) }
      group.addTask { try await self.followElection() }
      try await group.next()
      group.cancelAll()
    }
  }

  /// Renews `lease` every TTL/3 until etcd no longer has it (`EtcdLeaseLost`) or the stream fails.
  private func keepAlive(_ lease: Int64) async throws {
    let interval = settings.leaseTTL / 3
    // When each unanswered renewal was sent; etcd answers them in order.
    let unanswered = Mutex<[ContinuousClock.Instant]>([])
    try await client.keepAlive(
      produce: { writer in
        while true {
          unanswered.withLock { $0.append(ContinuousClock.now) }
          try await writer.write(.with { $0.id = lease })
          try await Task.sleep(for: interval)
        }
      },
      consume: { answers in
        for try await answer in answers {
          let sent = unanswered.withLock { $0.isEmpty ? nil : $0.removeFirst() }
          guard answer.ttl > 0 else { throw EtcdLeaseLost(id: lease) }
          if let sent { self.renewed(lease, validUntil: sent + .seconds(answer.ttl)) }
        }
        throw GoetheError(.unavailable, "etcd at \(self.client.endpoints) ended the lease keepalive")
      })
  }

  /// Fails once the lease is past its TTL by this node's clock with no renewal acknowledged (etcd
  /// hangs, or the connection does without failing), so that the session starts over.
  private func watchRenewals(_ lease: Int64) async throws {
    while true {
      try await Task.sleep(for: settings.leaseTTL / 3)
      let expired = state.withLock { state in state.lease.map { $0.id == lease && $0.validUntil < .now } ?? true }
      if expired {
        throw GoetheError(
          .deadlineExceeded,
          "etcd at \(client.endpoints) did not renew the lease within \(EtcdClient.describe(settings.leaseTTL))")
      }
    }
  }

  /// Follows the election, to learn of higher epochs and of this node's own candidate key being
  /// deleted (by the lease running out, or by hand): either ends its leadership at once.
  private func followElection() async throws {
    for try await snapshot in client.snapshots(of: keys.candidates, logger: logger) {
      noteElection(snapshot)
    }
  }

  /// The id of the lease ``run()`` holds, waiting up to `timeout` for one.
  private func lease(within timeout: Duration) async throws -> Int64 {
    let endpoints = client.endpoints
    return try await withThrowingTaskGroup(of: Int64.self) { group in
      group.addTask { try await self.nextLease() }
      group.addTask {
        try await Task.sleep(for: timeout)
        let failure = self.state.withLock { $0.lastFailure }
        throw GoetheError(
          .unavailable,
          "no lease from etcd at \(endpoints) within \(EtcdClient.describe(timeout))"
            + (failure.map { ": \($0)" } ?? " (is the coordinator running?)"))
      }
      let lease = try await group.next()!
      group.cancelAll()
      return lease
    }
  }

  /// The id of the lease ``run()`` holds, as soon as it holds one.
  private func nextLease() async throws -> Int64 {
    let id = UUID()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let result: Result<Int64, any Error>? = state.withLock { state in
          if let lease = state.lease { return .success(lease.id) }
          // Cancelled before the waiter was there for the cancellation handler to find.
          if Task.isCancelled { return .failure(CancellationError()) }
          state.leaseWaiters[id] = continuation
          return nil
        }
        if let result { continuation.resume(with: result) }
      }
    } onCancel: {
      state.withLock { $0.leaseWaiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
    }
  }

  private func setLease(_ lease: HeldLease) {
    let waiters = state.withLock { state in
      state.lease = lease
      state.lastFailure = nil
      defer { state.leaseWaiters = [:] }
      return state.leaseWaiters.values
    }
    for waiter in waiters { waiter.resume(returning: lease.id) }
  }

  private func renewed(_ lease: Int64, validUntil: ContinuousClock.Instant) {
    state.withLock { state in
      guard let held = state.lease, held.id == lease else { return }
      state.lease?.validUntil = max(held.validUntil, validUntil)
    }
  }

  /// Forgets `lease`, which etcd no longer has, and the leadership it carried.
  private func forgetLease(_ lease: Int64) {
    state.withLock { state in
      guard state.lease?.id == lease else { return }
      state.lease = nil
      state.leadership = nil
    }
  }

  /// Forgets the lease and revokes it, so that the member key goes at once rather than after the
  /// TTL. The caller's task is cancelled by now: the revocation runs in a task of its own.
  private func revokeLease() async {
    let lease = state.withLock { state in
      defer {
        state.lease = nil
        state.leadership = nil
      }
      return state.lease?.id
    }
    guard let lease else { return }
    let client = client
    await Task { try? await client.revokeLease(lease) }.value
  }

  // MARK: Election

  func campaign() async throws -> UInt64 {
    let value = EtcdMemberRecord(member).encoded
    while true {
      let lease = try await lease(within: settings.requestTimeout)
      let leader: V3electionpb_LeaderKey
      do {
        leader = try await client.campaign(name: keys.election, lease: lease, value: value)
      } catch let error as GoetheError where error.code == .notFound {
        // The lease ran out before etcd saw the campaign; run() grants a new one.
        forgetLease(lease)
        continue
      }
      // etcd's Campaign returns once no older candidate is left, even if this node's own key went
      // meanwhile (its lease ran out): it leads only if its key is still the oldest.
      guard try await leads(leader) else {
        logger.info("the campaign ended without the candidate key; campaigning again")
        continue
      }
      let epoch = UInt64(leader.rev)
      state.withLock { state in
        state.leadership = leader
        state.highestEpoch = max(state.highestEpoch, epoch)
      }
      logger.info("leading", metadata: ["epoch": "\(epoch)"])
      return epoch
    }
  }

  /// Whether `leader`'s key is the oldest candidate's: the leader's.
  private func leads(_ leader: V3electionpb_LeaderKey) async throws -> Bool {
    let prefix = Data(etcdKey: keys.candidates)
    let oldest = try await client.range(
      .with {
        $0.key = prefix
        $0.rangeEnd = prefix.prefixRangeEnd
        $0.sortTarget = .create
        $0.sortOrder = .ascend
        $0.limit = 1
      })
    return oldest.kvs.first.map { $0.key == leader.key && $0.createRevision == leader.rev } ?? false
  }

  func resign() async throws {
    let leader = state.withLock { state in
      defer { state.leadership = nil }
      return state.leadership
    }
    guard let leader else { return }
    logger.info("resigning", metadata: ["epoch": "\(leader.rev)"])
    try await client.resign(leader)
  }

  func holdsLeadership(epoch: UInt64) -> Bool {
    let now = ContinuousClock.now
    return state.withLock { state in
      guard let leader = state.leadership, let lease = state.lease else { return false }
      return UInt64(leader.rev) == epoch && leader.lease == lease.id && now < lease.validUntil
        && state.highestEpoch <= epoch
    }
  }

  /// Learns the epoch of the election's current leader; and if this node leads, whether its key
  /// is still there. (A higher epoch ends the leadership through ``holdsLeadership(epoch:)``.)
  private func noteElection(_ snapshot: EtcdPrefixSnapshot) {
    let leader = Self.oldest(in: snapshot)
    let lost: Bool = state.withLock { state in
      if let leader { state.highestEpoch = max(state.highestEpoch, UInt64(leader.createRevision)) }
      // Only a snapshot taken after the key was created can tell that it is gone: one that is
      // older, read before the campaign ended, may still show the previous leader.
      guard let held = state.leadership, snapshot.revision >= held.rev,
        snapshot.values[held.key]?.createRevision != held.rev
      else { return false }
      state.leadership = nil
      return true
    }
    if lost { logger.warning("lost the leadership: its key is gone from etcd") }
  }

  private static func oldest(in snapshot: EtcdPrefixSnapshot) -> Mvccpb_KeyValue? {
    snapshot.values.values.min { $0.createRevision < $1.createRevision }
  }

  /// Follows the candidates' keys rather than etcd's Observe call, which reports each new leader
  /// but never that there is none. While etcd cannot be reached the stream is silent, then current
  /// again.
  func leadership() -> AsyncThrowingStream<Leadership, any Error> {
    client.snapshots(of: keys.candidates, logger: logger).changes { snapshot in
      self.noteElection(snapshot)
      guard let leader = Self.oldest(in: snapshot) else {
        // No leader: the epoch stays the last one seen, as it changes only with a new leader.
        return Leadership(leader: nil, epoch: self.state.withLock { $0.highestEpoch })
      }
      return Leadership(leader: EtcdMemberRecord.decode(Array(leader.value)), epoch: UInt64(leader.createRevision))
    }
  }

  // MARK: Members

  func members() -> AsyncThrowingStream<[ClusterMember], any Error> {
    client.snapshots(of: keys.members, logger: logger).changes { snapshot in
      snapshot.values.values.compactMap { EtcdMemberRecord.decode(Array($0.value)) }.sorted { $0.nodeID < $1.nodeID }
    }
  }

  // MARK: Metadata

  func metadata(_ key: String) async throws -> VersionedValue? {
    let read = try await client.range(.with { $0.key = Data(etcdKey: keys.metadata(key)) })
    return read.kvs.first.map {
      VersionedValue(value: Array($0.value), version: MetadataVersion(token: String($0.modRevision)))
    }
  }

  /// A transaction: the key's mod revision is still the expected version (or, for none, the key
  /// has no creation revision: it does not exist), then the put.
  func compareAndSet(_ key: String, to value: [UInt8], expected: MetadataVersion?) async throws -> Bool {
    let etcdKey = Data(etcdKey: keys.metadata(key))
    let compare: Etcdserverpb_Compare
    if let expected {
      guard let revision = Int64(expected.token) else { return false }
      compare = .with {
        $0.key = etcdKey
        $0.target = .mod
        $0.result = .equal
        $0.modRevision = revision
      }
    } else {
      compare = .with {
        $0.key = etcdKey
        $0.target = .create
        $0.result = .equal
        $0.createRevision = 0
      }
    }
    let response = try await client.txn(
      .with {
        $0.compare = [compare]
        $0.success = [
          .with {
            $0.requestPut = .with {
              $0.key = etcdKey; $0.value = Data(value)
            }
          }
        ]
      })
    return response.succeeded
  }
}

/// etcd no longer has the lease: its TTL ran out (the node was paused, or cut off from etcd), or
/// it was revoked. Its keys are gone, and with them the node's leadership.
struct EtcdLeaseLost: Error, CustomStringConvertible {
  var id: Int64
  var description: String { "the etcd lease \(String(id, radix: 16)) ran out" }
}
