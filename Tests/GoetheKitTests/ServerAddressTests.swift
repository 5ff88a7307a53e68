import GoetheKit
import Testing

@Suite struct ServerAddressTests {
  @Test(arguments: [
    ("127.0.0.1:1337", "127.0.0.1", 1337),
    ("localhost:80", "127.0.0.1", 80),
    ("[::1]:9000", "::1", 9000),
    (":1337", "0.0.0.0", 1337),
    ("10.0.0.7:0", "10.0.0.7", 0),
  ])
  func parses(text: String, host: String, port: Int) throws {
    let address = try ServerAddress(parsing: text)
    #expect(address.host == host)
    #expect(address.port == port)
  }

  @Test(arguments: ["", "1337", "host", "host:", "host:x", "host:70000", "::1:80"])
  func rejects(text: String) {
    #expect(throws: GoetheError.self) { try ServerAddress(parsing: text) }
  }

  @Test func printsIPv6InBrackets() throws {
    #expect(try ServerAddress(parsing: "[::1]:9000").description == "[::1]:9000")
  }

  @Test func listsSeparatedByCommasKeepTheirOrderWithoutRepeats() throws {
    let list = try ServerAddress.list(parsing: "10.0.0.2:1337, [::1]:9000,10.0.0.2:1337,localhost:1")
    #expect(list.map(\.description) == ["10.0.0.2:1337", "[::1]:9000", "127.0.0.1:1"])
  }

  @Test(arguments: ["", ",", "a:1,", "a:1,,b:2", "a:1,b"])
  func rejectsListsWithAGap(text: String) {
    #expect(throws: GoetheError.self) { try ServerAddress.list(parsing: text) }
  }
}
