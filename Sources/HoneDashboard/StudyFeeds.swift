import Foundation
import HoneTune

/// The feeds of every study in the storage, made when a study is first seen and dropped when
/// it is deleted; the list of studies itself is read again at most every `freshness` seconds.
final class StudyFeeds: Sendable {
  let storage: any Storage
  private let freshness: Double
  private let state = Locked<(feeds: [Int: StudyFeed], listedAt: ContinuousClock.Instant?, list: [StudySummary])>(([:], nil, []))

  init(storage: any Storage, freshness: Double = 0.25) {
    self.storage = storage
    self.freshness = freshness
  }

  /// Every study's feed, in order of creation.
  func all() throws -> [StudyFeed] {
    let list = try summaries()
    return state.withLock { s in
      for summary in list where s.feeds[summary.id] == nil {
        s.feeds[summary.id] = StudyFeed(id: summary.id, name: summary.name, directions: summary.directions, storage: storage,
                                        freshness: freshness)
      }
      let alive = Set(list.map(\.id))
      s.feeds = s.feeds.filter { alive.contains($0.key) }
      return list.map { s.feeds[$0.id]! }
    }
  }

  /// The feed of the study with storage id `id`; `DashboardError.notFound` when there is none.
  func feed(id: Int) throws -> StudyFeed {
    if let feed = state.withLock({ $0.feeds[id] }) { return feed }
    guard let feed = try all().first(where: { $0.id == id }) else {
      throw DashboardError.notFound("no study with id \(id) in this storage (the list of studies is at /)")
    }
    return feed
  }

  private func summaries() throws -> [StudySummary] {
    if let list = state.withLock({ s in s.listedAt.map { ContinuousClock.now - $0 < .milliseconds(Int(freshness * 1000)) } == true ? s.list : nil }) {
      return list
    }
    let list = try storage.studies()
    state.withLock { s in (s.listedAt, s.list) = (.now, list) }
    return list
  }
}
