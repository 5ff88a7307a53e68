import CReadline
import Dispatch
import Foundation
import Synchronization

/// GNU readline: line editing, Ctrl-R search, history kept between sessions, TAB completion.
///
/// readline blocks while it waits for keys, so it runs on a dispatch queue of its own rather than
/// on Swift's cooperative threads, and completion may wait there for the server without starving them.
/// readline's callbacks are C function pointers without context, which is why the completion source
/// lives in a process-wide `Mutex`: there is only ever one line editor.
final class LineEditor: Sendable {
  private let queue = DispatchQueue(label: "goethectl.readline")
  private let historyFile: String
  static let historyLimit: Int32 = 1_000

  init(historyFile: String, complete: @escaping @Sendable (String) -> [String]) {
    self.historyFile = historyFile
    completionSource.withLock { $0 = complete }
    queue.sync {
      goethe_readline_setup(attemptCompletion, "goethectl")
      stifle_history(Self.historyLimit)
      read_history(historyFile)
    }
  }

  /// The next line, or nil at Ctrl-D. Ctrl-C clears the line being typed.
  ///
  /// SIGINT comes through the process's one signal source (see `Interrupt`) rather than a handler
  /// of the prompt's own, which would take SIGINT away from the commands run after it. It raises
  /// the flag that readline's event hook, polled between keys, acts on. The flag is a `static` in
  /// the C shim's header, so each Swift file may get a copy of its own: it is raised here, in the
  /// file that installs the hook.
  func readLine(prompt: String) async -> String? {
    // readline writes the prompt through stdio: what goethectl printed goes first.
    StandardOutput.flush()
    return await Interrupt.receiving({ goethe_readline_on_sigint(SIGINT) }) {
      await withCheckedContinuation { continuation in
        queue.async {
          guard let line = readline(prompt) else {
            continuation.resume(returning: nil)
            return
          }
          defer { free(line) }
          continuation.resume(returning: String(cString: line))
        }
      }
    }
  }

  func remember(_ line: String) {
    queue.sync {
      add_history(line)
      let directory = (historyFile as NSString).deletingLastPathComponent
      try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      write_history(historyFile)
      history_truncate_file(historyFile, Self.historyLimit)
    }
  }

  /// `$XDG_STATE_HOME/goethe/history`, else `~/.local/state/goethe/history`.
  static var defaultHistoryFile: String {
    let environment = ProcessInfo.processInfo.environment
    let state =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
    return state + "/goethe/history"
  }
}

private let completionSource = Mutex<(@Sendable (String) -> [String])?>(nil)
private let completionMatches = Mutex<[String]>([])

private func attemptCompletion(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  goethe_readline_no_filename_completion()
  guard let buffer = goethe_readline_line(), let source = completionSource.withLock({ $0 }) else { return nil }
  let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(goethe_readline_point()))
  let candidates = source(String(decoding: bytes, as: UTF8.self))
  completionMatches.withLock { $0 = candidates }
  return rl_completion_matches(text, nextMatch)
}

private func nextMatch(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
  let matches = completionMatches.withLock { $0 }
  guard Int(state) < matches.count else { return nil }
  return strdup(matches[Int(state)])
}
