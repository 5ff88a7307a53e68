import Foundation
import Testing

/// The end-to-end tests find the executables SwiftPM built.
@Suite struct BinariesTests {
  @Test func builtExecutablesAreFoundNextToTheTests() throws {
    let directory = try #require(Binaries.directory, "no goethe next to \(CommandLine.arguments[0])")
    for name in ["goethe", "goethectl"] {
      #expect(FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent(name).path), "\(name)")
    }
    #if os(Linux)
      // On Linux the tests run as an executable in the build directory, so both ways lead there.
      #expect(Bundle.main.bundleURL.standardizedFileURL.path == directory.standardizedFileURL.path)
      #expect(
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().standardizedFileURL.path
          == directory.standardizedFileURL.path)
    #endif
  }
}
