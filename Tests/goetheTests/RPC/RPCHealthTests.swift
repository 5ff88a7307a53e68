import GRPCCore
import GoetheKit
import SwiftProtobuf
import Testing

@testable import goethe

/// The standard grpc.health.v1 service.
@Suite(.timeLimit(.minutes(1)))
struct RPCHealthTests {
  @Test(arguments: ["", "io.typusomega.goethe.Goethe", "io.typusomega.goethe.Leader"])
  func knownServicesAreServing(service: String) async throws {
    try await withRPCServer { server in
      try await server.withHealthStub { health in
        let response = try await health.check(.with { $0.service = service })
        #expect(response.status == .serving)
      }
    }
  }

  @Test func unknownServicesAreNotFound() async throws {
    try await withRPCServer { server in
      try await server.withHealthStub { health in
        let error = await #expect(throws: RPCError.self) {
          try await health.check(.with { $0.service = "io.typusomega.goethe.Nope" })
        }
        #expect(error?.code == .notFound)
      }
    }
  }
}

extension RPCHealthTests {
  @Test func shuttingDownIsReportedToChecksAndWatchers() async throws {
    try await withRPCServer { server in
      try await server.withHealthStub { health in
        let statuses = try await health.watch(.with { $0.service = "" }) { response in
          var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
          for try await message in response.messages {
            statuses.append(message.status)
            if statuses.count == 1 { server.health.markNotServing() }
          }
          return statuses
        }
        #expect(statuses == [.serving, .notServing])
        #expect(try await health.check(.with { $0.service = "io.typusomega.goethe.Goethe" }).status == .notServing)
      }
    }
  }
}
