import IonLink

/// A streaming cross-correlation histogram of channel B's tags against channel A's: counts of
/// τ = t_B − t_A in bins of `binWidth` over −range…+range. With A = B it is the autocorrelation (zero
/// delay excluded). ``g2`` normalises it to g²(τ) = C(τ)·T / (N_A·N_B·Δτ), the standard estimator for
/// stationary streams (Brown & Twiss; e.g. Fox, *Quantum Optics* §6.6).
public struct Correlator: Sendable {
    public let channelA: Int32, channelB: Int32
    public let binWidth: Int64
    public let range: Int64
    /// Counts per bin; bin i covers τ ∈ [−range + i·binWidth, −range + (i+1)·binWidth).
    public private(set) var counts: [Int64]
    public private(set) var countA: Int64 = 0, countB: Int64 = 0
    private var recentA: [Int64] = [], recentB: [Int64] = []
    private var headA = 0, headB = 0
    private var first: Int64?, last: Int64 = 0

    public init(channelA: Int32, channelB: Int32, binWidth: Int64, range: Int64) {
        precondition(binWidth > 0 && range > 0)
        self.channelA = channelA
        self.channelB = channelB
        self.binWidth = binWidth
        self.range = range
        counts = Array(repeating: 0, count: Int((2 * range + binWidth - 1) / binWidth))
    }

    /// τ at the start of bin i.
    public func tau(ofBin i: Int) -> Int64 { -range + Int64(i) * binWidth }

    private mutating func add(_ tau: Int64) {
        guard tau >= -range && tau < range else { return }
        counts[Int((tau + range) / binWidth)] += 1
    }

    /// Adds tags in time order.
    public mutating func process<Tags: Collection>(_ tags: Tags) where Tags.Element == TimeTag {
        for tag in tags {
            let t = tag.picoseconds
            let isA = tag.channel == channelA, isB = tag.channel == channelB
            guard isA || isB else { continue }
            if first == nil { first = t }
            last = t
            // Drop partners older than the range.
            while headA < recentA.count && t - recentA[headA] > range { headA += 1 }
            while headB < recentB.count && t - recentB[headB] > range { headB += 1 }
            if isB {
                countB += 1
                for k in headA..<recentA.count { add(t - recentA[k]) }
            }
            if isA {
                countA += 1
                if !isB { for k in headB..<recentB.count { add(recentB[k] - t) } }
                recentA.append(t)
            }
            if isB && !isA { recentB.append(t) }
            if headA > 4096 { recentA.removeFirst(headA); headA = 0 }
            if headB > 4096 { recentB.removeFirst(headB); headB = 0 }
        }
    }

    /// g²(τ) per bin; empty until both channels have counts.
    public var g2: [Double] {
        guard let first, countA > 0, countB > 0, last > first else { return [] }
        let norm = Double(countA) * Double(countB) * Double(binWidth) / Double(last - first)
        return counts.map { Double($0) / norm }
    }

    /// τ of the fullest bin's centre.
    public var peakTau: Int64? {
        guard let m = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[m] > 0 else { return nil }
        return tau(ofBin: m) + binWidth / 2
    }
}

/// Finds each detector channel's delay from the peak of its arrival histogram relative to the sync
/// (its cross-correlation with the sync channel): the delay that brings that peak to `target` ps.
public func calibrateDelays(_ tags: [TimeTag], syncChannel: Int32, channels: [Int32], range: Int64,
                            binWidth: Int64, target: Int64 = 0) -> [Int32: Int64] {
    var out: [Int32: Int64] = [:]
    for c in channels {
        var corr = Correlator(channelA: syncChannel, channelB: c, binWidth: binWidth, range: range)
        corr.process(tags)
        if let peak = corr.peakTau { out[c] = target - peak }
    }
    return out
}
