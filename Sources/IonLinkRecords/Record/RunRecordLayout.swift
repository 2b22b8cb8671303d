import IonLink
import IonLinkSequencer

/// The layout of a run record (docs/records.md, "Run records (HDF5)"): names of groups, columns and attributes, and
/// the mapping between a block row and the run's cumulative totals (``RunResult``).
public enum RunRecordLayout {
    public static let format = "ionlink-run/2"

    /// One integer column of the block rows: how to read it from the totals and set it back.
    struct BlockColumn: Sendable {
        let name: String
        let get: @Sendable (RunResult) -> Int64
        let set: @Sendable (inout RunResult, Int64) -> Void
    }

    static func pattern(_ i: Int) -> BlockColumn {
        BlockColumn(name: "pattern_\(i)", get: { Int64($0.heraldsByPattern[i]) }, set: { $0.heraldsByPattern[i] = Int($1) })
    }

    static func shots(_ b: PauliBasis) -> BlockColumn {
        BlockColumn(name: "shots_\(b.rawValue.lowercased())", get: { Int64($0.verification.shots[b] ?? 0) }, set: { r, v in
            var shots = r.verification.shots
            shots[b] = Int(v)
            r.verification = VerificationTally(shots: shots, alignedSum: r.verification.alignedSum)
        })
    }

    static func alignedSum(_ b: PauliBasis) -> BlockColumn {
        BlockColumn(name: "aligned_sum_\(b.rawValue.lowercased())", get: { Int64($0.verification.alignedSum[b] ?? 0) }, set: { r, v in
            var sums = r.verification.alignedSum
            sums[b] = Int(v)
            r.verification = VerificationTally(shots: r.verification.shots, alignedSum: sums)
        })
    }

    /// Cumulative integer totals of a block row.
    static let countColumns: [BlockColumn] = {
        var columns = [
            BlockColumn(name: "attempts", get: { $0.attempts }, set: { $0.attempts = $1 }),
            BlockColumn(name: "bursts", get: { Int64($0.bursts) }, set: { $0.bursts = Int($1) }),
            BlockColumn(name: "rejected_heralds", get: { Int64($0.rejectedHeralds) }, set: { $0.rejectedHeralds = Int($1) }),
            BlockColumn(name: "ion_losses", get: { Int64($0.ionLossesDetected) }, set: { $0.ionLossesDetected = Int($1) }),
            BlockColumn(name: "reloads", get: { Int64($0.reloads) }, set: { $0.reloads = Int($1) }),
            BlockColumn(name: "latch_recoveries", get: { Int64($0.latchRecoveries) }, set: { $0.latchRecoveries = Int($1) }),
        ]
        columns.append(BlockColumn(name: "discarded_attempts", get: { $0.discardedAttempts }, set: { $0.discardedAttempts = $1 }))
        columns += RecoverableFault.allCases.map { f in
            BlockColumn(name: "fault_\(f.rawValue)_count", get: { Int64($0.faults[f]?.count ?? 0) },
                        set: { r, v in if v > 0 { r.faults[f, default: FaultTally()].count = Int(v) } })
        }
        columns += (0..<HeraldPattern.all.count).map(pattern)
        columns += PauliBasis.allCases.map(shots) + PauliBasis.allCases.map(alignedSum)
        return columns
    }()

    /// Cumulative lab time of a block row, picoseconds, by where it went.
    static let timeColumns: [BlockColumn] = [
        BlockColumn(name: "cooling_ps", get: { $0.time.cooling.inPicoseconds }, set: { $0.time.cooling = .picoseconds($1) }),
        BlockColumn(name: "attempting_ps", get: { $0.time.attempting.inPicoseconds }, set: { $0.time.attempting = .picoseconds($1) }),
        BlockColumn(name: "verifying_ps", get: { $0.time.verifying.inPicoseconds }, set: { $0.time.verifying = .picoseconds($1) }),
        BlockColumn(name: "ion_checks_ps", get: { $0.time.ionChecks.inPicoseconds }, set: { $0.time.ionChecks = .picoseconds($1) }),
        BlockColumn(name: "loading_ps", get: { $0.time.loading.inPicoseconds }, set: { $0.time.loading = .picoseconds($1) }),
        BlockColumn(name: "recovering_ps", get: { $0.time.recovering.inPicoseconds }, set: { $0.time.recovering = .picoseconds($1) }),
        BlockColumn(name: "discarded_ps", get: { $0.time.discarded.inPicoseconds }, set: { $0.time.discarded = .picoseconds($1) }),
    ] + RecoverableFault.allCases.map { f in
        BlockColumn(name: "fault_\(f.rawValue)_lost_ps", get: { $0.faults[f]?.timeLost.inPicoseconds ?? 0 },
                    set: { r, v in if v > 0 { r.faults[f, default: FaultTally()].timeLost = .picoseconds(v) } })
    }
}
