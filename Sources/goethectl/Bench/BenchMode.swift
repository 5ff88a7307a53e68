import GoetheKit

/// One way of loading the server and what it measures. Each mode is one type in one file under
/// `Modes/`; a new mode is that file plus its entry in ``BenchModes/all``.
protocol BenchMode: Sendable, CustomStringConvertible {
  /// The mode's name on the command line.
  static var name: String { get }
  /// One line for `goethectl bench --help`: what the clients do and what a latency sample times.
  static var summary: String { get }
  /// The tuning options the mode reads, with the value each takes when not given. The command
  /// refuses the others.
  static var tuning: [BenchTuning: Int] { get }

  /// Checks what the mode needs of `settings`; a failure is a usage error.
  init(_ settings: BenchSettings) throws

  /// What one latency sample times, such as "append call"; nil when the mode times nothing.
  var latencySample: String? { get }

  /// Readies `topic` before the clock starts, such as by filling it, and returns it as it then is.
  func prepare(_ topic: TopicInfo, on harness: BenchHarness) async throws -> TopicInfo

  /// The measured part: the clients' work on `topic`.
  func run(on topic: TopicInfo, _ harness: BenchHarness) async throws -> BenchResult
}

extension BenchMode {
  func prepare(_ topic: TopicInfo, on harness: BenchHarness) async throws -> TopicInfo { topic }
}

/// Options that only some modes read.
enum BenchTuning: String, CaseIterable, Sendable {
  /// Events per append.
  case batch
  /// Requests each client keeps in flight.
  case inflight

  var option: String { "--" + rawValue }
}

enum BenchModes {
  /// Every mode, in the order the help lists them.
  static let all: [any BenchMode.Type] = [
    ProduceBench.self, AppendBench.self, StreamBench.self, ReplayBench.self, TailBench.self, SeekBench.self,
    SharedBench.self,
  ]

  static func named(_ name: String) -> (any BenchMode.Type)? {
    all.first { $0.name == name }
  }
}
