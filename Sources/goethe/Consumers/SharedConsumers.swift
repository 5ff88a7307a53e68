import Synchronization

/// The shared consumers of the daemon, one ``SharedConsumer`` per topic and consumer name, made
/// when first used. An idle one holds no state, only its name.
final class SharedConsumers: Sendable {
  private struct Key: Hashable {
    var topic: String
    var consumer: String
  }

  private let consumers = Mutex<[Key: SharedConsumer]>([:])

  func consumer(topic: String, name: String, store: any GoetheStore) -> SharedConsumer {
    consumers.withLock { consumers in
      let key = Key(topic: topic, consumer: name)
      if let existing = consumers[key] { return existing }
      let made = SharedConsumer(topic: topic, name: name, store: store)
      consumers[key] = made
      return made
    }
  }
}
