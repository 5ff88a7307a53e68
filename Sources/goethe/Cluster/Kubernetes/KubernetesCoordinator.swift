import Foundation
import GoetheKit
import Logging
import Synchronization

/// The coordinator of a cluster in Kubernetes: leader election on a `coordination.k8s.io/v1`
/// Lease as client-go's leaderelection does it, the members from the EndpointSlices of a headless
/// Service, and the metadata in ConfigMaps, each write guarded by the resourceVersion it read.
///
/// The Lease `<cluster>-leader` names its holder, and carries the holder's address in an
/// annotation. A candidate takes it when it has no holder, or when its record has not changed for
/// the lease duration by the candidate's own clock (client-go's observed time: clocks of different
/// nodes are never compared). The epoch is `spec.leaseTransitions`, raised in the same guarded
/// PUT that takes the Lease, so two candidates cannot both take one epoch: the loser gets 409.
/// A leader renews every retry period, and stops counting itself leader once the renew deadline
/// has passed since its last renewal was sent, before any other candidate can take the Lease.
/// resourceVersions are opaque and only compared for equality.
final class KubernetesCoordinator: Coordinator {
  struct Settings: Sendable {
    var api: KubernetesAPISettings
    var cluster: String
    /// The headless Service whose EndpointSlices list the members.
    var service: String
    /// client-go's defaults: 15 s, 10 s and 2 s.
    var leaseDuration: Duration = .seconds(15)
    var renewDeadline: Duration = .seconds(10)
    var retryPeriod: Duration = .seconds(2)
    var requestTimeout: Duration = .seconds(5)

    /// A lease duration other than the default, with the renew deadline and retry period in
    /// client-go's proportions (2/3 and 2/15 of it).
    mutating func scale(leaseDuration duration: Duration) {
      leaseDuration = duration
      renewDeadline = duration * 2 / 3
      retryPeriod = duration * 2 / 15
    }
  }

  let member: ClusterMember
  let settings: Settings
  let api: KubernetesAPI
  private let logger: Logger
  private let state = Mutex(State())

  private struct State {
    /// This node's leadership, while it holds one.
    var term: Term?
    /// The highest epoch this node has seen, its own included.
    var highestEpoch: UInt64 = 0
    /// The Lease as last seen.
    var observed: Observed?
    /// Whether a campaign of this node has found the Lease held by another node.
    var waiting = false
  }

  /// The Lease's record as last seen, its holder's address, and when the record was first seen so
  /// (client-go's observed time).
  private struct Observed {
    var spec: Lease.Spec
    var address: String?
    var at: ContinuousClock.Instant
  }

  private struct Term {
    var epoch: UInt64
    /// When the last successful write of the Lease was sent.
    var renewed: ContinuousClock.Instant
  }

  /// The annotation of the Lease that holds its holder's address.
  static let addressAnnotation = "goethe/address"

  init(member: ClusterMember, settings: Settings, logger: Logger = Logger(label: "goethe.cluster")) {
    self.member = member
    self.settings = settings
    self.api = KubernetesAPI(settings: settings.api, requestTimeout: settings.requestTimeout)
    self.logger = logger
  }

  private var namespacePath: String { "/namespaces/\(settings.api.namespace)" }
  private var leasesPath: String { "/apis/coordination.k8s.io/v1" + namespacePath + "/leases" }
  private var leaseName: String { "\(settings.cluster)-leader" }
  private var leasePath: String { leasesPath + "/" + leaseName }
  private var configMapsPath: String { "/api/v1" + namespacePath + "/configmaps" }

  /// Whether a campaign of this node has found another leader and waits for its lease to lapse.
  var isWaitingForLeadership: Bool { state.withLock { $0.waiting } }

  // MARK: Renewal

  /// Renews the Lease every retry period while this node leads, until cancelled; then gives the
  /// leadership up, so that another node takes over at once rather than after the lease duration.
  /// Membership needs nothing here: Kubernetes keeps the EndpointSlices.
  func run() async throws {
    while true {
      do {
        try await Task.sleep(for: settings.retryPeriod)
      } catch {
        // Cancelled: this task can no longer wait, so the release runs in a task of its own.
        await Task { try? await self.resign() }.value
        throw CancellationError()
      }
      guard let term = state.withLock({ $0.term }) else { continue }
      do {
        if try await acquireOrRenew(onlyRenew: true) == nil { stepDown(term, because: "another node took the Lease") }
      } catch {
        logger.warning("renewing the Lease failed", metadata: ["error": "\(error)"])
        if ContinuousClock.now >= term.renewed + settings.renewDeadline {
          stepDown(term, because: "the Lease was not renewed within \(settings.renewDeadline)")
        }
      }
    }
  }

  private func stepDown(_ term: Term, because reason: String) {
    let ended = state.withLock { state in
      guard state.term?.epoch == term.epoch else { return false }
      state.term = nil
      return true
    }
    if ended { logger.warning("lost the leadership: \(reason)", metadata: ["epoch": "\(term.epoch)"]) }
  }

  // MARK: Election

  func campaign() async throws -> UInt64 {
    while true {
      do {
        if let epoch = try await acquireOrRenew(onlyRenew: false) {
          logger.info("leading", metadata: ["epoch": "\(epoch)"])
          return epoch
        }
      } catch {
        if Task.isCancelled { throw CancellationError() }
        logger.warning("taking the Lease failed; trying again", metadata: ["error": "\(error)"])
      }
      try await Task.sleep(for: settings.retryPeriod)
    }
  }

  /// One round of client-go's tryAcquireOrRenew: reads the Lease, and writes it if this node holds
  /// it or (unless `onlyRenew`: the renewal must not take a Lease this node just gave up) may take
  /// it. Returns the epoch this node leads under, or nil if another node holds the Lease or won
  /// the write.
  private func acquireOrRenew(onlyRenew: Bool) async throws -> UInt64? {
    let sent = ContinuousClock.now
    let now = KubernetesTime.microTime(Date())
    guard let current: Lease = try await api.get(leasePath) else {
      guard !onlyRenew else { return nil }
      let epoch = state.withLock { $0.highestEpoch } + 1
      let lease = Lease(
        metadata: ObjectMeta(name: leaseName, annotations: [Self.addressAnnotation: member.address.description]),
        spec: spec(acquiredAt: now, epoch: epoch))
      guard let created = try await api.create(lease, in: leasesPath) else { return nil }
      return lead(created, epoch: epoch, sent: sent, renewing: false)
    }
    observe(current)
    let epoch = UInt64(max(0, current.spec.leaseTransitions ?? 0))
    let holder = current.spec.holderIdentity ?? ""
    let renewing = holder == member.nodeID && state.withLock { $0.term?.epoch } == epoch
    if onlyRenew && !renewing { return nil }
    if !renewing && !holder.isEmpty && holder != member.nodeID && !hasLapsed() {
      state.withLock { $0.waiting = true }
      return nil
    }
    var lease = current
    lease.metadata.annotations = (lease.metadata.annotations ?? [:]).merging(
      [Self.addressAnnotation: member.address.description], uniquingKeysWith: { $1 })
    if renewing {
      lease.spec.renewTime = now
      lease.spec.leaseDurationSeconds = Int(settings.leaseDuration.components.seconds)
    } else {
      // A new leadership, even of this node again (after a restart, or a lapse): a new epoch.
      lease.spec = spec(acquiredAt: now, epoch: max(epoch, state.withLock { $0.highestEpoch }) + 1)
    }
    guard let written = try await api.replace(leasePath, with: lease) else { return nil }
    return lead(written, epoch: UInt64(lease.spec.leaseTransitions ?? 0), sent: sent, renewing: renewing)
  }

  private func spec(acquiredAt now: String, epoch: UInt64) -> Lease.Spec {
    Lease.Spec(
      holderIdentity: member.nodeID, leaseDurationSeconds: Int(settings.leaseDuration.components.seconds),
      acquireTime: now, renewTime: now, leaseTransitions: Int(epoch))
  }

  /// Takes up the leadership the write `written` gave, or the renewal of it; nil if the node
  /// resigned while the renewal was on its way (``resign()`` then releases the Lease).
  private func lead(_ written: Lease, epoch: UInt64, sent: ContinuousClock.Instant, renewing: Bool) -> UInt64? {
    observe(written)
    return state.withLock { state in
      state.highestEpoch = max(state.highestEpoch, epoch)
      if renewing {
        guard state.term?.epoch == epoch else { return nil }
        state.term?.renewed = sent
      } else {
        state.term = Term(epoch: epoch, renewed: sent)
        state.waiting = false
      }
      return epoch
    }
  }

  /// Notes the Lease's record, and when it changed, and its epoch.
  private func observe(_ lease: Lease) {
    let now = ContinuousClock.now
    let lost: Term? = state.withLock { state in
      let address = lease.metadata.annotations?[Self.addressAnnotation]
      if state.observed?.spec != lease.spec {
        state.observed = Observed(spec: lease.spec, address: address, at: now)
      } else {
        state.observed?.address = address
      }
      let epoch = UInt64(max(0, lease.spec.leaseTransitions ?? 0))
      state.highestEpoch = max(state.highestEpoch, epoch)
      guard let term = state.term, epoch > term.epoch else { return nil }
      state.term = nil
      return term
    }
    if let lost {
      logger.warning("lost the leadership: a higher epoch holds the Lease", metadata: ["epoch": "\(lost.epoch)"])
    }
  }

  /// Whether the observed record has no holder, or has not changed for as long as it says it lasts.
  private func hasLapsed(at now: ContinuousClock.Instant = .now) -> Bool {
    state.withLock { state in
      guard let observed = state.observed else { return true }
      guard let holder = observed.spec.holderIdentity, !holder.isEmpty else { return true }
      let duration = observed.spec.leaseDurationSeconds.map { Duration.seconds($0) } ?? settings.leaseDuration
      return now >= observed.at + duration
    }
  }

  /// Gives the Lease up as client-go does on release: no holder, and a duration of one second.
  func resign() async throws {
    guard
      let term = state.withLock({ state in
        defer { state.term = nil }; return state.term
      })
    else { return }
    logger.info("resigning", metadata: ["epoch": "\(term.epoch)"])
    // A renewal on its way may change the Lease first: read it again, while it is still this term's.
    while var lease: Lease = try await api.get(leasePath),
      lease.spec.holderIdentity == member.nodeID, lease.spec.leaseTransitions.map(UInt64.init) == term.epoch
    {
      lease.spec.holderIdentity = ""
      lease.spec.leaseDurationSeconds = 1
      lease.spec.renewTime = KubernetesTime.microTime(Date())
      if let released = try await api.replace(leasePath, with: lease) {
        observe(released)
        return
      }
    }
  }

  func holdsLeadership(epoch: UInt64) -> Bool {
    let now = ContinuousClock.now
    return state.withLock { state in
      guard let term = state.term else { return false }
      return term.epoch == epoch && now < term.renewed + settings.renewDeadline && state.highestEpoch <= epoch
    }
  }

  /// Watches the Lease, and looks again every retry period, since a leader's lease lapses without
  /// any change to watch.
  func leadership() -> AsyncThrowingStream<Leadership, any Error> {
    let (stream, continuation) = AsyncThrowingStream<Leadership, any Error>.makeStream()
    let reflector = KubernetesReflector<Lease>(
      api: api, path: leasesPath, query: ["fieldSelector": "metadata.name=\(leaseName)"],
      retry: settings.retryPeriod)
    let last = Mutex<Leadership?>(nil)
    let report: @Sendable () -> Void = {
      let current = self.currentLeadership()
      let changed = last.withLock { last in
        defer { last = current }
        return last != current
      }
      if changed { continuation.yield(current) }
    }
    let task = Task {
      await withTaskGroup(of: Void.self) { group in
        group.addTask {
          do {
            for try await leases in reflector.snapshots(logger: self.logger) {
              if let lease = leases[self.leaseName] { self.observe(lease) } else { self.forgetObserved() }
              report()
            }
          } catch {}
        }
        group.addTask {
          while (try? await Task.sleep(for: self.settings.retryPeriod)) != nil { report() }
        }
        await group.next()
        group.cancelAll()
      }
      continuation.finish()
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }

  private func forgetObserved() {
    state.withLock { $0.observed = nil }
  }

  /// The leader by the observed record: its holder, unless it has lapsed.
  private func currentLeadership() -> Leadership {
    let lapsed = hasLapsed()
    return state.withLock { state in
      guard !lapsed, let spec = state.observed?.spec, let holder = spec.holderIdentity, !holder.isEmpty else {
        return Leadership(leader: nil, epoch: state.highestEpoch)
      }
      let epoch = UInt64(max(0, spec.leaseTransitions ?? 0))
      // A Lease that another program holds, without goethe's address, names no leader to dial.
      let address = state.observed?.address.flatMap { try? ServerAddress(parsing: $0) }
      return Leadership(leader: address.map { ClusterMember(nodeID: holder, address: $0) }, epoch: epoch)
    }
  }

  // MARK: Members

  func members() -> AsyncThrowingStream<[ClusterMember], any Error> {
    let reflector = KubernetesReflector<EndpointSlice>(
      api: api, path: "/apis/discovery.k8s.io/v1" + namespacePath + "/endpointslices",
      query: ["labelSelector": "kubernetes.io/service-name=\(settings.service)"], retry: settings.retryPeriod)
    return reflector.snapshots(logger: logger).changes { EndpointSliceMembers.members(of: $0.values) }
  }

  // MARK: Metadata

  private func configMapName(_ key: String) -> String { "\(settings.cluster)-\(key)" }

  func metadata(_ key: String) async throws -> VersionedValue? {
    guard let map: ConfigMap = try await api.get(configMapsPath + "/" + configMapName(key)) else { return nil }
    return Self.versionedValue(map)
  }

  func compareAndSet(_ key: String, to value: [UInt8], expected: MetadataVersion?) async throws -> Bool {
    let map = ConfigMap(
      metadata: ObjectMeta(name: configMapName(key), resourceVersion: expected?.token),
      binaryData: ["value": Data(value).base64EncodedString()])
    guard expected != nil else { return try await api.create(map, in: configMapsPath) != nil }
    return try await api.replace(configMapsPath + "/" + map.metadata.name, with: map) != nil
  }

  private static func versionedValue(_ map: ConfigMap) -> VersionedValue? {
    guard let version = map.metadata.resourceVersion,
      let value = map.binaryData?["value"].flatMap({ Data(base64Encoded: $0) })
    else { return nil }
    return VersionedValue(value: Array(value), version: MetadataVersion(token: version))
  }
}
