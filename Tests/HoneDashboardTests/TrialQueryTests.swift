import Testing
@testable import HoneDashboard

@Suite struct TrialQueryTests {
  @Test func aQueryReadsBackFromItsOwnQueryString() throws {
    let pairs = try URLQuery.pairs("state=complete&state=pruned&param=lr&pmin=0.001&pmax=0.1&vmax=2&sort=param%3Alr&order=desc&page=3&per_page=20&column=a%2Cb")
    let query = try TrialQuery(pairs)
    #expect(query.states == [.complete, .pruned] && query.param == "lr" && query.paramMin == 0.001 && query.valueMax == 2)
    #expect(query.sort == "param:lr" && query.descending && query.page == 3 && query.perPage == 20 && query.columns == ["a", "b"])
    let again = try TrialQuery(URLQuery.pairs(String(query.queryString().dropFirst())))
    #expect(again == query)
  }

  @Test func plusIsASpaceAndBadEscapesAreRefused() throws {
    let pairs = try URLQuery.pairs("note=a+b%2Bc")
    #expect(pairs.count == 1 && pairs[0].0 == "note" && pairs[0].1 == "a b+c")
    #expect(throws: DashboardError.self) { try URLQuery.pairs("x=%zz") }
  }
}
