import Foundation
import Testing

@testable import goethe

struct EtcdKeysTests {
  @Test func keysOfACluster() {
    let keys = EtcdKeys(cluster: "prod")
    #expect(keys.election == "/goethe/prod/leader")
    #expect(keys.candidates == "/goethe/prod/leader/")
    #expect(keys.member("n1") == "/goethe/prod/members/n1")
    #expect(keys.metadata("in-sync") == "/goethe/prod/meta/in-sync")
  }

  @Test func aPrefixRangeEndsAfterTheLastKeyWithThePrefix() {
    #expect(Data(etcdKey: "/goethe/prod/members/").prefixRangeEnd == Data(etcdKey: "/goethe/prod/members0"))
    #expect(Data([0x61, 0xff]).prefixRangeEnd == Data([0x62]))
    #expect(Data([0xff, 0xff]).prefixRangeEnd == Data([0]))
  }
}
