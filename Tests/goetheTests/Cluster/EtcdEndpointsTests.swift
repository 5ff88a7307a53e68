import GoetheKit
import Testing

@testable import goethe

struct EtcdEndpointsTests {
  @Test func parsesOneOrMoreEndpoints() throws {
    #expect(
      try EtcdEndpoints(parsing: "etcd://127.0.0.1:2379").addresses == [ServerAddress(host: "127.0.0.1", port: 2379)])
    let many = try EtcdEndpoints(parsing: "etcd://etcd-0.etcd:2379,10.0.0.2:2379,[::1]:2380")
    #expect(
      many.addresses == [
        ServerAddress(host: "etcd-0.etcd", port: 2379), ServerAddress(host: "10.0.0.2", port: 2379),
        ServerAddress(host: "::1", port: 2380),
      ])
    #expect(many.description == "etcd-0.etcd:2379,10.0.0.2:2379,[::1]:2380")
  }

  @Test(arguments: [
    "", "127.0.0.1:2379", "http://127.0.0.1:2379", "etcd://", "etcd://host", "etcd://:2379", "etcd://host:0",
    "etcd://host:65536", "etcd://a:1,", "etcd://a:1,,b:2", "etcd://::1:2379",
  ])
  func rejectsAnythingElseInOneLine(text: String) {
    let error = #expect(throws: GoetheError.self) { try EtcdEndpoints(parsing: text) }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.hasSuffix("use etcd://HOST:PORT[,HOST:PORT...], such as etcd://127.0.0.1:2379") == true)
    #expect(error?.message.contains("\n") == false)
  }
}
