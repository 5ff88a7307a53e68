public import Foundation

/// A fresh directory under the system's temporary directory, named `<prefix>-<uuid>` and removed
/// with everything in it when `body` returns or throws.
public func withScratchDirectory<Result>(
  prefix: String, _ body: (URL) async throws -> Result
) async throws -> Result {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  return try await body(directory)
}
