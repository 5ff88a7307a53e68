import GoetheKit

/// A cursor's move as `cursor set` and `cursor delete` print it: `billing on orders: seq 5 → 0`
/// (`none →` when there was no cursor, `→ deleted`), with `(dry run: nothing changed)` after a dry
/// run. In JSON: the cursor as `cursor get` shows it, plus `from_seq`; after a dry run or a delete,
/// `{"topic","consumer","from_seq","seq","dry_run"}` with `seq` null for a delete.
struct CursorMovePrinter {
  let console: Console
  let topic: String
  let consumer: String
  let dryRun: Bool

  /// A move that was made.
  func print(from old: UInt64?, to cursor: CursorInfo) {
    guard console.format == .json else { return text(from: old, to: String(cursor.sequence)) }
    console.json(CursorPrinter(console: console).fields(cursor) + [("from_seq", old.map(JSONValue.number) ?? .null)])
  }

  /// A move to `new` (nil for a delete) that a dry run shows, or a delete.
  func print(from old: UInt64?, to new: UInt64?) {
    guard console.format == .json else { return text(from: old, to: new.map { String($0) } ?? "deleted") }
    console.json([
      "topic": .string(topic), "consumer": .string(consumer), "from_seq": old.map(JSONValue.number) ?? .null,
      "seq": new.map(JSONValue.number) ?? .null, "dry_run": .raw(dryRun ? "true" : "false"),
    ])
  }

  private func text(from old: UInt64?, to new: String) {
    let from = old.map { "seq \($0)" } ?? "none"
    console.out("\(consumer) on \(topic): \(from) → \(new)" + (dryRun ? " (dry run: nothing changed)" : ""))
  }
}
