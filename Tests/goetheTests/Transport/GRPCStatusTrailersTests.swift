import GRPCCore
import NIOHPACK
import Testing

@testable import goethe

struct GRPCStatusTrailersTests {
  /// An error received as another call's answer carries that call's trailers in its metadata;
  /// sent on, they would repeat the status and break the stream.
  @Test func trailersCarryAnErrorsOwnMetadataButNotTheStatusItCameWith() {
    var metadata = Metadata()
    metadata.addString("14", forKey: "grpc-status")
    metadata.addString("old", forKey: "grpc-message")
    metadata.addString("application/grpc", forKey: "content-type")
    metadata.addString("127.0.0.1:1337", forKey: "goethe-leader")
    let trailers = GRPCStatusTrailers.make(
      RPCError(code: .unavailable, message: "no leader", metadata: metadata), trailersOnly: false)
    #expect(trailers[canonicalForm: "grpc-status"] == ["14"])
    #expect(trailers[canonicalForm: "grpc-message"] == ["no leader"])
    #expect(trailers[canonicalForm: "content-type"].isEmpty)
    #expect(trailers[canonicalForm: "goethe-leader"] == ["127.0.0.1:1337"])
  }
}
