import Foundation

/// The parts of the Kubernetes API objects the coordinator reads and writes, as JSON. Fields it
/// does not know are dropped when it decodes, so a PUT sends only what it knows: safe for the
/// objects goethe owns (its Lease and ConfigMaps), and EndpointSlices are only read. apiVersion
/// and kind are optional because the items of a list carry none.
struct ObjectMeta: Codable, Sendable, Equatable {
  var name: String
  var namespace: String?
  /// Opaque: compared only for equality, and sent back to guard an update.
  var resourceVersion: String?
  var labels: [String: String]?
  var annotations: [String: String]?
}

/// `coordination.k8s.io/v1` Lease.
struct Lease: Codable, Sendable, Equatable {
  var apiVersion: String? = "coordination.k8s.io/v1"
  var kind: String? = "Lease"
  var metadata: ObjectMeta
  var spec: Spec

  struct Spec: Codable, Sendable, Equatable {
    var holderIdentity: String?
    var leaseDurationSeconds: Int?
    /// MicroTime, `2006-01-02T15:04:05.000000Z` (``KubernetesTime``).
    var acquireTime: String?
    var renewTime: String?
    var leaseTransitions: Int?
  }
}

/// `discovery.k8s.io/v1` EndpointSlice.
struct EndpointSlice: Codable, Sendable, Equatable {
  var apiVersion: String? = "discovery.k8s.io/v1"
  var kind: String? = "EndpointSlice"
  var metadata: ObjectMeta
  var addressType: String?
  var endpoints: [Endpoint]?
  var ports: [Port]?

  struct Endpoint: Codable, Sendable, Equatable {
    var addresses: [String]
    var conditions: Conditions?
    var hostname: String?
    var targetRef: ObjectReference?
  }

  /// nil means unknown: ready and serving are then taken as true, terminating as false, as the API
  /// asks consumers to.
  struct Conditions: Codable, Sendable, Equatable {
    var ready: Bool?
    var serving: Bool?
    var terminating: Bool?
  }

  struct ObjectReference: Codable, Sendable, Equatable {
    var kind: String?
    var name: String?
  }

  struct Port: Codable, Sendable, Equatable {
    var name: String?
    var port: Int?
  }
}

/// `v1` ConfigMap: the cluster metadata, one per key.
struct ConfigMap: Codable, Sendable, Equatable {
  var apiVersion: String? = "v1"
  var kind: String? = "ConfigMap"
  var metadata: ObjectMeta
  /// Base64, as the API carries binary data.
  var binaryData: [String: String]?
}

/// A list: its items, and the resourceVersion to watch from.
struct ObjectList<Item: Decodable & Sendable>: Decodable, Sendable {
  var metadata: ListMeta
  var items: [Item]

  struct ListMeta: Decodable, Sendable {
    var resourceVersion: String?
  }
}

/// One line of a watch, `{"type": ..., "object": ...}`: ADDED, MODIFIED, DELETED or BOOKMARK with
/// an object, or ERROR with a ``KubernetesStatus``. A line is decoded for its type first, then for
/// the object that type carries.
struct WatchEvent<Object: Decodable & Sendable>: Decodable, Sendable {
  var object: Object

  struct Kind: Decodable {
    var type: String
  }
}

/// The API's error body.
struct KubernetesStatus: Decodable, Sendable {
  var code: Int?
  var reason: String?
  var message: String?
}
