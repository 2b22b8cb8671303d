import IonLink

/// An end-to-end pair to entangle and the chain of traps its elementary links run through; inner traps
/// join their two links by entanglement swapping.
public struct NetworkRequest: Sendable, Hashable {
    public var path: [Int]
    public var source: Int { path[0] }
    public var destination: Int { path[path.count - 1] }
    /// Elementary links: path[i] – path[i+1].
    public var hops: Int { path.count - 1 }

    public init(path: [Int]) {
        precondition(path.count >= 2 && Set(path).count == path.count, "a path of distinct traps")
        self.path = path
    }
}

extension NetworkRequest {
    /// Every trap in exactly one request: the traps shuffled (seeded) and cut into chains of `hops` + 1;
    /// traps left over stay idle. Each request is served again as soon as it is delivered.
    public static func randomChains(nodes: Int, hops: Int, seed: UInt64) -> [NetworkRequest] {
        precondition(hops >= 1)
        var rng = SeededGenerator(seed: seed)
        var order = Array(0..<nodes)
        order.shuffle(using: &rng)
        return stride(from: 0, through: nodes - (hops + 1), by: hops + 1).map { NetworkRequest(path: Array(order[$0...($0 + hops)])) }
    }
}
