import Glibc

// Release builds find `stat` in CoreFoundation's view of the C headers, where it was first seen.
#if canImport(CoreFoundation)
  import CoreFoundation
#endif

/// goethectl's stdin, as far as what it is decides what goethectl does.
enum StandardInput {
  /// Whether stdin is a regular file or a pipe, as for `goethectl < script`, rather than a
  /// terminal, /dev/null or closed.
  static var isFileOrPipe: Bool {
    var status = stat()
    guard fstat(STDIN_FILENO, &status) == 0 else { return false }
    let kind = status.st_mode & S_IFMT
    return kind == S_IFREG || kind == S_IFIFO
  }
}
