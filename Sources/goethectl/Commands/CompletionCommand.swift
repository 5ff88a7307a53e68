// Public: the retroactive conformance below is of a public type to a public protocol.
public import ArgumentParser

struct CompletionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "completion", abstract: "Print the shell completion script for bash, zsh or fish.",
    discussion: """
      bash: goethectl completion bash > /etc/bash_completion.d/goethectl
      zsh:  goethectl completion zsh > "${fpath[1]}/_goethectl"
      fish: goethectl completion fish > ~/.config/fish/completions/goethectl.fish
      Topic and consumer names complete from the running server.
      """)

  @Argument(help: "bash, zsh or fish.")
  var shell: CompletionShell

  func run() {
    StandardOutput.write(Goethectl.completionScript(for: shell))
  }
}

extension CompletionShell: @retroactive ExpressibleByArgument {}
