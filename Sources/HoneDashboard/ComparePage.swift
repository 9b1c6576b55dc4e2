import HoneReport
import HoneTune

/// Several studies on one plot: the best value so far against the trial number.
enum ComparePage {
  static func live(_ views: [StudyView]) -> String {
    let plots = views.map(\.plots)
    let list = views.map { "<li><a href=\"/studies/\($0.id)\">\(Html.h($0.name))</a> (\($0.trials.count) trials)</li>" }.joined()
    return Html.section("comparison", "Best value so far", StudyPlots.comparison(plots)) + "<ul>\(list)</ul>"
  }
}
