import GoetheKit

/// Events per time-index bucket, one row per bucket: start time, count, a bar scaled to the width.
struct BarChart {
  let buckets: [BucketCount]

  func render(_ console: Console) {
    let largest = buckets.map(\.count).max() ?? 0
    let countWidth = String(largest).count
    for bucket in buckets {
      let label = console.time(bucket.start)
      let count = String(bucket.count)
      let room = max(console.width - label.count - countWidth - 4, 10)
      let length =
        largest == 0 ? 0 : max(bucket.count > 0 ? 1 : 0, Int(Double(bucket.count) / Double(largest) * Double(room)))
      let bar = String(repeating: "█", count: length)
      console.out(
        console.paint(label, .dim) + "  " + String(repeating: " ", count: countWidth - count.count) + count + "  "
          + console.paint(bar, .green))
    }
  }
}
