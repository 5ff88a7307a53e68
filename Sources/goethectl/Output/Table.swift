import Foundation

/// Left-aligned text columns, two spaces apart, under a header unless `--no-headers`.
struct Table {
  var header: [String]
  var rows: [[String]] = []

  func render(_ console: Console) {
    var widths = header.map { console.noHeaders ? 0 : $0.count }
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    if !console.noHeaders { console.out(console.paint(line(header), .bold)) }
    for row in rows { console.out(line(row)) }
  }
}
