import Foundation
import TestSupport

/// The executables SwiftPM built next to the test bundle.
enum Binaries {
  /// The directory holding `goethe` and `goethectl`: the one the test executable runs from on Linux
  /// (`.build/<triple>/debug/goethePackageTests.xctest`), the one holding the `.xctest` bundle on macOS.
  static let directory: URL? = {
    var candidates: [URL] = [
      Bundle.main.bundleURL,
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    ]
    if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
    }
    for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
      candidates.append(bundle.bundleURL.deletingLastPathComponent())
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("goethe").path) }
  }()

  static var goethe: URL {
    get throws {
      guard let directory else {
        throw E2EFailure(
          "cannot find the goethe executable next to the test bundle (\(CommandLine.arguments[0])); build it with: swift build --build-tests"
        )
      }
      return directory.appendingPathComponent("goethe")
    }
  }
}

/// A failure of the test harness itself, with a message saying what went wrong.
struct E2EFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A temporary directory for one test, removed when `body` returns.
func withScratchDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
  try await TestSupport.withScratchDirectory(prefix: "goethe-e2e", body)
}
