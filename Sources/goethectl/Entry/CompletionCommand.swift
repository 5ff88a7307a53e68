// Public: the retroactive conformance below is of a public type to a public protocol.
public import ArgumentParser
import Foundation

struct CompletionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
    discussion: """
      bash: goethectl completion bash > /etc/bash_completion.d/goethectl

      zsh: goethectl completion zsh > "${fpath[1]}/_goethectl"

      fish: goethectl completion fish > ~/.config/fish/completions/goethectl.fish

      Topic and consumer names complete from the running server.
      """)

  @Argument(help: "bash, zsh or fish.")
  var shell: CompletionShell

  func run() {
    StandardOutput.write(Self.script(for: shell))
  }

  /// ArgumentParser's script, with its bash flavour fixed: there a word that is the whole name of a
  /// subcommand was taken as chosen while still being typed, so `re` TAB gave `repl` and `replay`
  /// could never be reached. The word under the cursor now names no subcommand yet.
  static func script(for shell: CompletionShell) -> String {
    let script = Goethectl.completionScript(for: shell)
    guard shell == .bash else { return script }
    return script.replacingOccurrences(
      of: #"    local -r subcommand="${unparsed_words[0]}""#,
      with: """
            local subcommand="${unparsed_words[0]}"
            # The last word is the one under the cursor: it may still grow into a longer name.
            ((${#unparsed_words[@]} > 1)) || subcommand=''
        """)
  }
}

extension CompletionShell: @retroactive ExpressibleByArgument {}
