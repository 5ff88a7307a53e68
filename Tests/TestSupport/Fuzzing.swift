import Foundation

/// How the seeded fuzz tests run. Each run draws a seed, which every failure names: set
/// GOETHE_FUZZ_SEED to replay that run, and GOETHE_FUZZ_ITERATIONS to try more (or fewer) inputs
/// than each test's default.
public enum Fuzzing {
  public static let seed: UInt64 =
    ProcessInfo.processInfo.environment["GOETHE_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)

  /// How many inputs a test tries: `standard`, unless GOETHE_FUZZ_ITERATIONS says otherwise.
  public static func iterations(_ standard: Int) -> Int {
    ProcessInfo.processInfo.environment["GOETHE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? standard
  }
}

extension SplitMix64 {
  /// `elements` changed in one to four places: an element replaced, inserted or removed, the end
  /// cut off, or a run repeated. New elements come from `make`.
  public mutating func mutated<Element>(
    _ elements: [Element], making make: (inout SplitMix64) -> Element
  ) -> [Element] {
    var result = elements
    for _ in 0..<Int.random(in: 1...4, using: &self) {
      let index = Int.random(in: 0...result.count, using: &self)
      switch Int.random(in: 0..<5, using: &self) {
      case 0 where index < result.count: result[index] = make(&self)
      case 1: result.insert(make(&self), at: index)
      case 2 where index < result.count: result.remove(at: index)
      case 3: result.removeSubrange(index...)
      default:
        let end = Int.random(in: index...result.count, using: &self)
        result.insert(contentsOf: result[index..<end], at: end)
      }
    }
    return result
  }

  /// Up to `count` pieces joined: a string made of what a parser finds hard.
  public mutating func string(of pieces: [String], count: ClosedRange<Int>) -> String {
    (0..<Int.random(in: count, using: &self)).map { _ in pieces.randomElement(using: &self)! }.joined()
  }
}
