/// The hypervolume indicator (Zitzler & Thiele 1998): the Lebesgue measure of the region
/// that at least one point dominates and that dominates `reference`, under minimization,
///
///     HV(S; r) = λ( ⋃_{p ∈ S} [p₁, r₁] × … × [p_m, r_m] ).
///
/// Points that do not strictly dominate the reference in every objective add nothing.
/// Exact algorithms:
/// - m = 1: r − min p;
/// - m = 2: one sweep over the points sorted by the first objective, O(n log n);
/// - m = 3: the dimension sweep of Beume, Fonseca, López-Ibáñez, Paquete & Vahrenhold
///   (2009, "On the complexity of computing the hypervolume indicator", IEEE TEVC 13(5)),
///   which keeps the 2-D front of the points below the sweep plane in a balanced search
///   tree, O(n log n);
/// - m ≥ 4: the same sweep one dimension up, slicing along the last objective down to the
///   3-D case (the "dimension sweep" of HSO, While et al. 2006), O(n^(m−2) log n).
public func hypervolume(_ points: [[Double]], reference: [Double]) -> Double {
  let m = reference.count
  precondition(m >= 1, "hypervolume: the reference point has no coordinates")
  let inside = points.filter { p in
    precondition(p.count == m, "hypervolume: a point of dimension \(p.count) and a reference of dimension \(m)")
    return zip(p, reference).allSatisfy { $0 < $1 }
  }
  guard !inside.isEmpty else { return 0 }
  return _sweptHypervolume(inside, reference: reference)
}

/// The hypervolume of points that all strictly dominate `reference`.
func _sweptHypervolume(_ points: [[Double]], reference: [Double]) -> Double {
  switch reference.count {
  case 1: return reference[0] - points.map { $0[0] }.min()!
  case 2: return _hypervolume2D(points, reference: reference)
  case 3: return _hypervolume3D(points, reference: reference)
  default:
    let last = reference.count - 1
    let sorted = points.sorted { $0[last] < $1[last] }
    let lower = Array(reference.dropLast())
    var volume = 0.0
    for k in sorted.indices {
      let top = k + 1 < sorted.count ? sorted[k + 1][last] : reference[last]
      guard top > sorted[k][last] else { continue }
      volume += (top - sorted[k][last]) * _sweptHypervolume(sorted[...k].map { Array($0.dropLast()) }, reference: lower)
    }
    return volume
  }
}

/// 2-D: sorted by the first objective, each point adds the rectangle between it, the
/// reference and the lowest second objective seen so far.
func _hypervolume2D(_ points: [[Double]], reference: [Double]) -> Double {
  var area = 0.0, floor = reference[1]
  for p in points.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) where p[1] < floor {
    area += (reference[0] - p[0]) * (floor - p[1])
    floor = p[1]
  }
  return area
}

/// 3-D: sweep the points by the third objective; between two sweep heights the dominated
/// region is a prism over the 2-D front of the points seen so far.
func _hypervolume3D(_ points: [[Double]], reference: [Double]) -> Double {
  let sorted = points.sorted { $0[2] < $1[2] }
  var front = Staircase(referenceX: reference[0], referenceY: reference[1], capacity: sorted.count)
  var volume = 0.0
  for (k, p) in sorted.enumerated() {
    front.insert(x: p[0], y: p[1])
    let top = k + 1 < sorted.count ? sorted[k + 1][2] : reference[2]
    volume += front.area * (top - p[2])
  }
  return volume
}

/// The exclusive contribution of each point, HV(S) − HV(S ∖ {p}): the volume only that
/// point dominates (0 for dominated points and for duplicates). Used to weight and to
/// select points (hypervolume subset selection in MOTPE, EHVI).
public func hypervolumeContributions(_ points: [[Double]], reference: [Double]) -> [Double] {
  let total = hypervolume(points, reference: reference)
  return points.indices.map { i in
    var others = points
    others.remove(at: i)
    return max(total - hypervolume(others, reference: reference), 0)
  }
}
