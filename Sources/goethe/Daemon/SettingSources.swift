import Configuration
import Foundation
import GoetheKit
import Logging
import Synchronization
import SystemPackage

/// Where the daemon's settings come from, in order of precedence, as one swift-configuration
/// reader: its command-line flags, its `GOETHE_*` environment variables, the config file, and
/// the built-in defaults.
///
/// The config file is watched: ``reloading`` is the service that rereads it when it changes (it
/// runs in the daemon's ServiceGroup), and readers that watch a key see the new value.
struct SettingSources: Sendable {
  let reader: ConfigReader
  /// Rereads the config file when it changes; nil without one.
  let reloading: ReloadingFileProvider<KeyValueSnapshot>?
  private let answers: SettingAnswers

  /// How often the config file is checked for changes.
  static let pollInterval = Duration.seconds(2)

  init(
    flags: [String: String], environment: [String: String], configFile: String?, logger: Logger
  ) async throws(GoetheError) {
    var providers: [any ConfigProvider] = [
      InMemoryProvider(
        name: "flags",
        values: Dictionary(
          uniqueKeysWithValues: flags.map {
            (AbsoluteConfigKey([$0.key]), ConfigValue(.string($0.value), isSecret: false))
          }
        )),
      EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "goethe"),
    ]
    if let configFile {
      do {
        let provider = try await ReloadingFileProvider<KeyValueSnapshot>(
          parsingOptions: KeyValueSnapshot.ParsingOptions(path: configFile), filePath: FilePath(configFile),
          pollInterval: Self.pollInterval, logger: logger)
        providers.append(provider)
        reloading = provider
      } catch let error as GoetheError {
        throw error
      } catch {
        throw GoetheError(.invalidArgument, "cannot read config file \(configFile): \(Self.describe(error))")
      }
    } else {
      reloading = nil
    }
    answers = SettingAnswers(configFile: configFile)
    reader = ConfigReader(providers: providers, accessReporter: answers)
  }

  /// The value of setting `key`, if any source sets it, with where it came from (`--sync`,
  /// `GOETHE_SYNC`, `goethe.conf: sync`).
  func value(of key: String) -> (value: String, source: String)? {
    guard let value = reader.string(forKey: ConfigKey([key])) else { return nil }
    return (value, answers.source(of: key) ?? key)
  }

  private static func describe(_ error: any Error) -> String {
    let text = "\(error)"
    return text.isEmpty ? (error as NSError).localizedDescription : text
  }
}

/// Remembers which source answered each setting last, so that an invalid value is reported with
/// where it came from.
private final class SettingAnswers: AccessReporter {
  private let configFile: String?
  private let sources = Mutex<[String: String]>([:])

  init(configFile: String?) {
    self.configFile = configFile
  }

  func report(_ event: AccessEvent) {
    guard
      let index = event.providerResults.firstIndex(where: { result in
        (try? result.result.get().value) != nil
      })
    else { return }
    let key = event.metadata.key.components.joined(separator: ".")
    let encoded = (try? event.providerResults[index].result.get().encodedKey) ?? key
    let source =
      switch index {
      case 0: "--\(key)"
      case 1: encoded
      default: "\(configFile ?? "config file"): \(key)"
      }
    sources.withLock { $0[key] = source }
  }

  func source(of key: String) -> String? { sources.withLock { $0[key] } }
}
