import CMalloc

/// Makes memory that served large requests go back to the system once it is freed.
///
/// glibc raises its mmap threshold to the size of the largest mapped block freed so far, so after
/// a few large requests (an append of 15 MiB) blocks of that size come from the heap and stay with
/// the process: the daemon's RSS grew from 32 to 139 MiB over 30 such requests and never came back
/// down. A fixed threshold of 1 MiB keeps large blocks mapped, and they are unmapped when freed:
/// 65 MiB after the same requests. Blocks below it (a read batch of 100-byte events is about
/// 50 KiB) are not affected.
enum LargeBlockAllocation {
  static let mapThreshold: Int32 = 1 << 20

  static func returnToSystemWhenFreed() {
    _ = mallopt(M_MMAP_THRESHOLD, mapThreshold)
  }
}
