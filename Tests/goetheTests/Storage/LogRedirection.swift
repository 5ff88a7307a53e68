import Foundation
import GoetheKit
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// Ways to make a store's next LevelDB write fail or block: its log's file descriptor pointed
// elsewhere.

/// Points the file descriptor LevelDB writes the store's log (`NNNNNN.log`) through at
/// `replacement`'s file.
func redirectLog(of storePath: String, to replacement: Int32) throws {
  let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { Int32($0) }
  let log = descriptors.first { descriptor in
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")
    else { return false }
    return target.hasPrefix(storePath + "/") && target.hasSuffix(".log")
  }
  guard let log else { throw GoetheError(.internalError, "no log file of \(storePath) is open") }
  #expect(dup2(replacement, log) == log)
}

/// A pipe whose buffer is full, so that the next write to it blocks until its reader is closed,
/// and then fails with EPIPE.
final class FullPipe {
  let writer: Int32
  private var reader: Int32?

  init() throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw GoetheError(.internalError, "cannot make a pipe: errno \(errno)") }
    (reader, writer) = (ends[0], ends[1])
    let flags = fcntl(writer, F_GETFL)
    guard flags >= 0, fcntl(writer, F_SETFL, flags | O_NONBLOCK) == 0 else {
      throw failure("make the pipe non-blocking")
    }
    var byte: UInt8 = 0
    while write(writer, &byte, 1) == 1 {}
    guard fcntl(writer, F_SETFL, flags) == 0 else { throw failure("make the pipe blocking again") }
  }

  /// Closes both ends and says what could not be done.
  private func failure(_ what: String) -> GoetheError {
    let error = GoetheError(.internalError, "cannot \(what): errno \(errno)")
    close()
    return error
  }

  /// Closing the reader makes the blocked write, and every later one, fail.
  func closeReader() {
    if let reader { Glibc.close(reader) }
    reader = nil
  }

  /// Closes both ends (the reader, if still open, first, which ends a blocked write).
  func close() {
    closeReader()
    Glibc.close(writer)
  }
}
