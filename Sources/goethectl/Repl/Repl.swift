import ArgumentParser
import Foundation
import GoetheKit

/// The interactive session: each line is parsed by the same command tree as the command line and
/// run the same way. On a terminal it uses readline (history, Ctrl-R, TAB); with stdin from a file
/// or pipe it reads commands line by line without prompts and stops at the first failure, whose
/// error names its line (`goethectl: line 3: ...`).
struct Repl {
  let options: GlobalOptions
  let continueOnError: Bool
  /// The session's commands, for TAB and help.
  let tree: CommandTree
  /// Runs one command line, given as words, with the number of its line in a script.
  let runCommand: (_ words: [String], _ line: Int?) async -> ExitStatus

  func run() async -> ExitStatus {
    isatty(STDIN_FILENO) == 1 ? await interactive() : await scripted()
  }

  private func interactive() async -> ExitStatus {
    let connection = try? options.connection()
    let servers = connection?.servers ?? [.defaultServer]
    let names = NameCache(servers: servers, security: connection?.security ?? ClientSecurity())
    let completer = ReplCompleter(tree: tree)
    let editor = LineEditor(historyFile: LineEditor.defaultHistoryFile) { line in
      completer.candidates(for: line) { names.names($0) }
    }
    // The prompt names the context, so that a session on production looks like one.
    let server = servers.map(\.description).joined(separator: ",")
    let place = connection?.contextName.map { "\($0) \(server)" } ?? server
    StandardOutput.writeLine("goethe session on \(place): type help for commands, Ctrl-D to leave")
    while let line = await editor.readLine(prompt: "goethe \(place)> ") {
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      editor.remember(line)
      guard await execute(line) != nil else { break }
      names.invalidate()
    }
    StandardOutput.writeLine("")
    return .success
  }

  private func scripted() async -> ExitStatus {
    var result = ExitStatus.success
    var number = 0
    while let line = readLine() {
      number += 1
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      guard let status = await execute(line, number: number) else { break }
      if status != .success {
        result = status
        if !continueOnError { return status }
      }
    }
    return result
  }

  /// Runs one line, the `number`th of a script; nil when it asks to leave the session.
  private func execute(_ line: String, number: Int? = nil) async -> ExitStatus? {
    let location = number.map { "line \($0)" }
    let words: [String]
    do {
      words = try ShellWords.split(line)
    } catch {
      writeError("unterminated quote in: \(GoetheError.quoted(line))", at: location)
      return .usage
    }
    switch words.first {
    case nil: return .success
    case "exit", "quit": return nil
    case "help":
      if words.count == 1 {
        StandardOutput.writeLine(SessionHelp.text(for: tree))
        return .success
      }
      return await runCommand(Array(words.dropFirst()) + ["--help"], number)
    case "repl":
      writeError("already in a session", at: location)
      return .usage
    default:
      let status = await runCommand(words, number)
      if status == .interrupted { StandardOutput.writeLine("") }
      return status
    }
  }
}
