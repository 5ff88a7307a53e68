import Foundation

/// The payload bytes of each topic, as a store that closed left them in its directory, so that the
/// next open need not read every event to count them again.
///
/// The file names the commit index the sizes belong to. Opening takes it away first, so that it
/// is only ever used by the open right after the close that wrote it: any write since (which a
/// crash could leave without a new file) changes the commit index, and a file of another index is
/// ignored and the events are read instead. Writes that are not logged only remove topics that are
/// no longer in the catalog, whose sizes are not used.
enum TopicSizes {
  static let fileName = "topic-sizes"

  /// Writes the sizes of the topics (by number) at commit index `index`.
  static func save(_ sizes: [UInt32: UInt64], at index: UInt64, in directory: String) {
    let lines = ["\(index)"] + sizes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    try? Data((lines.joined(separator: "\n") + "\n").utf8).write(
      to: URL(fileURLWithPath: directory).appendingPathComponent(fileName), options: .atomic)
  }

  /// Removes the file and returns its sizes if they belong to commit index `index`; else none.
  static func take(from directory: String, at index: UInt64) -> [UInt32: UInt64] {
    let url = URL(fileURLWithPath: directory).appendingPathComponent(fileName)
    guard let data = try? Data(contentsOf: url) else { return [:] }
    try? FileManager.default.removeItem(at: url)
    var lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    guard !lines.isEmpty, UInt64(lines.removeFirst()) == index else { return [:] }
    var sizes: [UInt32: UInt64] = [:]
    for line in lines {
      let fields = line.split(separator: " ")
      guard fields.count == 2, let number = UInt32(fields[0]), let bytes = UInt64(fields[1]) else { return [:] }
      sizes[number] = bytes
    }
    return sizes
  }
}
