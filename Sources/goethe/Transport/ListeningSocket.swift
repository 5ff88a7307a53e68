import GoetheKit
import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The daemon's listening socket, bound before anything else starts so that a taken or
/// unusable address is refused before the store is opened or created.
struct ListeningSocket: ~Copyable {
  private let descriptor: CInt

  /// Binds and listens on `address`; the error names the address and what is wrong with it.
  init(binding address: ServerAddress, backlog: CInt = 256) throws(GoetheError) {
    let resolved: NIOCore.SocketAddress
    do {
      resolved = try NIOCore.SocketAddress.makeAddressResolvingHost(address.host, port: address.port)
    } catch {
      throw GoetheError(
        .unavailable, "cannot serve on \(address): cannot resolve \(address.host); choose another --listen")
    }
    let descriptor = socket(resolved.protocol.rawValue, Self.streamType, 0)
    guard descriptor >= 0 else { throw Self.failure(address, errno) }
    var on: CInt = 1
    // Non-blocking, as the event loop that accepts on it requires; not inherited by children.
    let bound = resolved.withSockAddr { pointer, length in
      fcntl(descriptor, F_SETFL, O_NONBLOCK) == 0 && fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0
        && setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<CInt>.size)) == 0
        && bind(descriptor, pointer, socklen_t(length)) == 0 && listen(descriptor, backlog) == 0
    }
    guard bound else {
      let error = errno
      close(descriptor)
      throw Self.failure(address, error)
    }
    self.descriptor = descriptor
  }

  /// Takes back a descriptor that was taken but never served on, to close it.
  init(adopting descriptor: CInt) { self.descriptor = descriptor }

  /// Hands the descriptor to whoever serves on it, which then owns it.
  consuming func take() -> CInt {
    let descriptor = self.descriptor
    discard self
    return descriptor
  }

  deinit { close(descriptor) }

  #if canImport(Glibc)
    private static let streamType = CInt(SOCK_STREAM.rawValue)
  #else
    private static let streamType = SOCK_STREAM
  #endif

  private static func failure(_ address: ServerAddress, _ code: CInt) -> GoetheError {
    let reason =
      switch code {
      case EADDRINUSE: "the address is already in use (is another goethe running?)"
      case EADDRNOTAVAIL: "no interface has that address"
      case EACCES: "permission denied"
      default: String(cString: strerror(code))
      }
    return GoetheError(.unavailable, "cannot serve on \(address): \(reason); choose another --listen")
  }
}
