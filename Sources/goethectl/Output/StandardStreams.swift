import Foundation
import Synchronization

/// goethectl's stdout. Output is gathered and written in large pieces: when 64 KiB are waiting,
/// when a command flushes (after each batch of a stream, after each append of produce, when it
/// ends) and before anything goes to stderr, so that the two stay in order on a terminal.
///
/// When the reader of the pipe has gone (`goethectl replay t --from beginning | head -1`), goethectl
/// ends at once, quietly and with status 141, as `cat` ends from SIGPIPE. Nothing printed after the
/// last complete flush counts as delivered: a consumer commits its cursor only after the flush that
/// wrote the batch.
enum StandardOutput {
  private static let capacity = 64 << 10
  private static let pending = Mutex<[UInt8]>([])

  static func writeLine(_ text: String) {
    append {
      $0.append(contentsOf: text.utf8); $0.append(0x0A)
    }
  }

  static func write(_ text: String) {
    append { $0.append(contentsOf: text.utf8) }
  }

  static func write(_ bytes: Data, then more: Data) {
    append {
      $0.append(contentsOf: bytes); $0.append(contentsOf: more)
    }
  }

  /// Writes what is waiting, blocking while the reader is slower.
  static func flush() {
    pending.withLock { drain(&$0) }
  }

  private static func append(_ add: (inout [UInt8]) -> Void) {
    pending.withLock { buffer in
      add(&buffer)
      if buffer.count >= capacity { drain(&buffer) }
    }
  }

  private static func drain(_ buffer: inout [UInt8]) {
    defer { buffer.removeAll(keepingCapacity: true) }
    guard let failure = buffer.withUnsafeBytes({ writeAll($0, to: STDOUT_FILENO) }) else { return }
    if failure == EPIPE { exit(ExitStatus.brokenPipe.rawValue) }
    // Not through StandardError, which would flush this buffer again.
    let message = "goethectl: cannot write the output: \(String(cString: strerror(failure)))\n"
    _ = Array(message.utf8).withUnsafeBytes { writeAll($0, to: STDERR_FILENO) }
    exit(ExitStatus.failed.rawValue)
  }
}

/// goethectl's stderr: errors, notes and progress, each written at once, after the output waiting
/// for stdout. When nobody reads stderr any more, what goes there is lost and goethectl carries on.
enum StandardError {
  static func write(_ text: String) {
    StandardOutput.flush()
    _ = Array(text.utf8).withUnsafeBytes { writeAll($0, to: STDERR_FILENO) }
  }
}

/// Writes all of `bytes` to `descriptor`, through interruptions and partial writes; returns the
/// errno of a failure, or nil.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
  var offset = 0
  while offset < bytes.count {
    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
    if written >= 0 {
      offset += written
    } else if errno == EAGAIN {
      // A descriptor inherited in non-blocking mode: wait until it takes more.
      var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      _ = poll(&ready, 1, -1)
    } else if errno != EINTR {
      return errno
    }
  }
  return nil
}
