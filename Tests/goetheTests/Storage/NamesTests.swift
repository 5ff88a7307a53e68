import Foundation
import GoetheKit
import Testing

@testable import goethe

/// Topic names, index granularities and sizes: what is accepted and what is refused, and why.
@Suite struct NamesTests {
  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")

  static let validTopics = [
    "a", "Z", "0", ".", "_", "-", "orders.v2_eu-west", String(alphabet),
    String((0..<249).map { alphabet[$0 % alphabet.count] }),
  ]

  static let invalidTopics = [
    "", String(repeating: "a", count: 250), "with space", " leading", "trailing ", "a/b", "/", "a\\b", "a:b", "tøpic",
    "топик", "emoji🙂", "tab\t", "nul\u{0}", "e\u{301}",
  ]

  @Test(arguments: validTopics)
  func validTopicNamesAreAccepted(name: String) async throws {
    try Names.validateTopic(name)
    try await withStore { store in
      let info = try await store.createTopic(name)
      #expect(info.name == name)
      #expect(info.headSequence == 0)
      #expect(store.listTopics().map(\.name) == [name])
      #expect(try await store.append(payloads("x"), to: name).firstSequence == 1)
      #expect(try await store.describeTopic(name).headSequence == 1)
    }
  }

  @Test(arguments: invalidTopics)
  func invalidTopicNamesAreRejectedWithTheRule(name: String) async throws {
    let error = #expect(throws: GoetheError.self) { try Names.validateTopic(name) }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains(Names.topicRule) == true)
    try await withStore { store in
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) { _ = try await store.createTopic(name) }
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) {
        _ = try await store.append(payloads("x"), to: name, createTopic: true)
      }
      await expectError(.invalidArgument, mentioning: [Names.topicRule]) { _ = try await store.describeTopic(name) }
      #expect(store.listTopics().isEmpty)
    }
  }

  @Test func longNamesAreShortenedInTheMessage() {
    let error = #expect(throws: GoetheError.self) { try Names.validateTopic(String(repeating: "a", count: 300)) }
    #expect(error?.message.contains(String(repeating: "a", count: 40) + "…") == true)
    #expect(error?.message.contains(String(repeating: "a", count: 41)) == false)
  }

  @Test func creatingATopicTwiceFails() async throws {
    try await withStore { store in
      _ = try await store.createTopic("twice", granularity: .minimum)
      _ = try await store.appendText("x", to: "twice")
      await expectError(.alreadyExists, mentioning: ["twice"]) {
        _ = try await store.createTopic("twice", granularity: .maximum)
      }
      let info = try await store.describeTopic("twice")
      #expect(info.granularity == .minimum, "the existing topic is unchanged")
      #expect(info.headSequence == 1)
      #expect(store.listTopics().count == 1)
    }
  }

  @Test func describeAndListMissingTopic() async throws {
    try await withStore { store in
      #expect(store.listTopics().isEmpty)
      await expectError(.notFound, mentioning: ["ghost", "goethectl topic create ghost"]) {
        _ = try await store.describeTopic("ghost")
      }
    }
  }

  @Test func topicsAreListedByName() async throws {
    let clock = FakeClock()
    try await withStore(.testing(clock: clock)) { store in
      for name in ["m", "B", "a", "z.1", "Z"] {
        _ = try await store.createTopic(name)
        clock.advance(by: 7)
      }
      #expect(store.listTopics().map(\.name) == ["B", "Z", "a", "m", "z.1"])
      #expect(try await store.describeTopic("a").created == FakeClock.epoch + 14)
    }
  }

  // MARK: Granularity

  @Test(arguments: [
    ("1m", UInt32(60)), ("15m", 900), ("90m", 5_400), ("1h", 3_600), ("6h", 21_600), ("24h", 86_400), ("1d", 86_400),
    ("1440m", 86_400),
  ])
  func granularityParses(text: String, seconds: UInt32) throws {
    let granularity = try Granularity(parsing: text)
    #expect(granularity.seconds == seconds)
    #expect(granularity.nanoseconds == UInt64(seconds) * 1_000_000_000)
    #expect(try Granularity(parsing: granularity.description) == granularity)
  }

  @Test(arguments: [
    "30s", "2d", "25h", "1441m", "0m", "0h", "abc", "", "m", "1", "1.5h", "-1m", "1 h", "1H", "4294967295d",
  ])
  func granularityRejects(text: String) {
    let error = #expect(throws: GoetheError.self) { try Granularity(parsing: text) }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains(Granularity.rule) == true)
  }

  @Test(arguments: [UInt32(0), 59, 61, 90, 86_460, 172_800])
  func granularityRejectsSeconds(seconds: UInt32) {
    let error = #expect(throws: GoetheError.self) { try Granularity(seconds: seconds) }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains(Granularity.rule) == true)
  }

  @Test func granularityBucketsAlignToUTC() throws {
    let day = try Granularity(parsing: "1d")
    let quarter = try Granularity(parsing: "15m")
    let time: UInt64 = 1_700_000_000 * 1_000_000_000 + 123  // 2023-11-14T22:13:20Z
    #expect(day.bucketStart(of: time) == 1_699_920_000 * 1_000_000_000)  // 2023-11-14T00:00:00Z
    #expect(quarter.bucketStart(of: time) == 1_699_999_200 * 1_000_000_000)  // 22:00:00Z
    #expect(Granularity.hour.bucketStart(of: time) == 1_699_999_200 * 1_000_000_000)
    #expect(Granularity.minimum.bucketStart(of: time) == 1_699_999_980 * 1_000_000_000)  // 22:13:00Z
  }

  @Test func granularityIsKeptAcrossReopen() async throws {
    let quarter = try Granularity(parsing: "15m")
    try await withTemporaryDirectory { _, path in
      try await withStore(at: path, .testing(defaultGranularity: .maximum)) { store in
        #expect(try await store.createTopic("quarter", granularity: quarter).granularity == quarter)
        #expect(try await store.createTopic("default").granularity == .maximum)
        _ = try await store.appendText("x", to: "quarter")
      }
      // Reopened with another default: existing topics keep theirs.
      try await withStore(at: path, .testing(defaultGranularity: .minimum)) { store in
        #expect(try await store.describeTopic("quarter").granularity == quarter)
        #expect(try await store.describeTopic("default").granularity == .maximum)
        let buckets = try await store.bucketCounts("quarter", from: 0, to: .max)
        #expect(buckets.map(\.start) == [quarter.bucketStart(of: FakeClock.epoch)])
      }
    }
  }

  // MARK: Sizes

  @Test(arguments: [
    ("512", 512), ("1B", 1), ("64KiB", 65_536), ("64kb", 65_536), ("1MiB", 1 << 20), ("1M", 1 << 20), ("2GiB", 2 << 30),
    (" 3 KiB ", 3_072),
  ])
  func byteSizeParses(text: String, bytes: Int) throws {
    #expect(try ByteSize(parsing: text).bytes == bytes)
  }

  @Test(arguments: ["", "0", "0KiB", "1.5MiB", "abc", "1TB", "-1", "KiB", "99999999999999999999"])
  func byteSizeRejects(text: String) {
    let error = #expect(throws: GoetheError.self) { try ByteSize(parsing: text) }
    #expect(error?.code == .invalidArgument)
    #expect(error?.message.contains("such as 1MiB") == true)
  }

  @Test func byteSizeDescription() {
    #expect(ByteSize(1 << 20).description == "1 MiB")
    #expect(ByteSize(3 << 30).description == "3 GiB")
    #expect(ByteSize(1_024).description == "1 KiB")
    #expect(ByteSize(1_025).description == "1025 bytes")
    #expect(ByteSize(1_000).description == "1000 bytes")
  }
}
