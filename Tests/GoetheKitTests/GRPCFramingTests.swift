import NIOCore
import Testing

@testable import GoetheKit

/// gRPC's length-prefixed messages, however the DATA frames cut them.
@Suite struct GRPCFramingTests {
  static func message(_ length: Int, fill: UInt8 = 1) -> [UInt8] {
    [0, UInt8(length >> 24 & 0xff), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
      + [UInt8](repeating: fill, count: length)
  }

  @Test func cutsMessagesAcrossAnySplit() throws {
    let stream = Self.message(3, fill: 1) + Self.message(0) + Self.message(20, fill: 2)
    for cut in 0...stream.count {
      var deframer = GRPCMessageDeframer(limit: 100)
      let messages =
        try deframer.process(ByteBuffer(bytes: stream[..<cut]))
        + deframer.process(ByteBuffer(bytes: stream[cut...]))
      #expect(messages.map { Array($0.readableBytesView) } == [[1, 1, 1], [], [UInt8](repeating: 2, count: 20)])
      #expect(deframer.isEmpty)
    }
  }

  @Test func refusesAMessageOverTheLimitFromItsPrefixAlone() {
    var deframer = GRPCMessageDeframer(limit: 64)
    #expect(throws: GRPCMessageDeframer.Failure.tooLarge(length: 1000)) {
      try deframer.process(ByteBuffer(bytes: Self.message(64) + Array(Self.message(1000).prefix(5))))
    }
  }

  @Test func refusesCompressedMessages() {
    var deframer = GRPCMessageDeframer(limit: 64)
    var compressed = Self.message(2)
    compressed[0] = 1
    #expect(throws: GRPCMessageDeframer.Failure.compressed) { try deframer.process(ByteBuffer(bytes: compressed)) }
  }

  /// A long stream whose frames end inside messages, as frames of 16,383 bytes do: what the
  /// deframer holds stays about a message and a frame, and does not grow with the stream.
  @Test func holdsOnlyTheMessageItIsCuttingHoweverLongTheStream() throws {
    var deframer = GRPCMessageDeframer(limit: 1 << 20)
    let stream = (0..<50).flatMap { _ in Self.message(95) }  // 5,000 bytes of whole messages
    let frameSize = 16_383
    var sent = 0
    var cut = 0
    var largest = 0
    var kept: [ByteBuffer] = []
    while sent < 32 << 20 {
      var frame: [UInt8] = []
      while frame.count < frameSize {
        let offset = (sent + frame.count) % stream.count
        frame += stream[offset..<min(stream.count, offset + frameSize - frame.count)]
      }
      let messages = try deframer.process(ByteBuffer(bytes: frame))
      cut += messages.count
      kept = messages  // the messages cut out last share the storage, as a handler still reading them would
      sent += frame.count
      largest = max(largest, deframer.heldCapacity)
    }
    #expect(cut == sent / 100 && !kept.isEmpty)
    #expect(largest <= 4 * frameSize, "held \(largest) bytes after \(sent)")
  }

  @Test func holdsAPartialMessage() throws {
    var deframer = GRPCMessageDeframer(limit: 64)
    #expect(try deframer.process(ByteBuffer(bytes: Self.message(10).prefix(8))).isEmpty)
    #expect(!deframer.isEmpty)
  }

  /// The start of a message that came at the end of a large read is kept in storage of its own,
  /// not in the read's buffer: a client cannot keep read buffers alive by starting messages.
  /// A frame that ends where its last message ends leaves nothing behind, not even the read it
  /// came in, which a request waiting for its end would otherwise keep alive uncounted.
  @Test func aFrameThatEndsWithAMessageKeepsNothingOfIt() throws {
    var deframer = GRPCMessageDeframer(limit: 1 << 20)
    var read = ByteBufferAllocator().buffer(capacity: 64 << 10)
    read.writeInteger(UInt8(0))
    read.writeInteger(UInt32(100))
    read.writeRepeatingByte(7, count: 100)
    #expect(try deframer.process(read).count == 1)
    #expect(deframer.heldCapacity == 0)
    #expect(deframer.isEmpty)
  }

  @Test func keepsAMessagesStartInStorageOfItsOwn() throws {
    var deframer = GRPCMessageDeframer(limit: 1 << 20)
    var read = ByteBufferAllocator().buffer(capacity: 64 << 10)
    read.writeBytes(Self.message(100) + Self.message(50).prefix(10))
    #expect(try deframer.process(read).count == 1)
    #expect(deframer.pendingStorage > 0 && deframer.pendingStorage < 4 << 10, "\(deframer.pendingStorage)")
    #expect(try deframer.process(ByteBuffer(bytes: Self.message(50).dropFirst(10))).map(\.readableBytes) == [50])
    #expect(deframer.pendingStorage == 0)
  }

  @Test func percentEncodingKeepsPrintableASCII() {
    #expect(GRPCStatusMessage.encoded("100% ok\nü") == "100%25 ok%0A%C3%BC")
  }

  @Test func aStatusMessageDecodesToWhatWasEncoded() {
    for text in ["100% ok\nü", "", "%", "plain", "50%"] {
      #expect(GRPCStatusMessage.decoded(GRPCStatusMessage.encoded(text)) == text)
    }
    // A stray % stands for itself.
    #expect(GRPCStatusMessage.decoded("100% sure, %zz") == "100% sure, %zz")
  }

  @Test func aSerializedMessageIsOneFrame() throws {
    let framed = GRPCFrameBytes([7, 8, 9])
    #expect(Array(framed.frame.readableBytesView) == [0, 0, 0, 0, 3, 7, 8, 9])
    #expect(framed.count == 3)
    let received = GRPCFrameBytes(received: ByteBuffer(bytes: [7, 8, 9]))
    #expect(Array(received.frame.readableBytesView) == [0, 0, 0, 0, 3, 7, 8, 9])
    #expect(received.withUnsafeBytes { Array($0) } == [7, 8, 9])
  }
}
