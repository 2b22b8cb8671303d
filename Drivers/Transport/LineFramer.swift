import IonLink

/// Splits a byte stream into lines ending in a terminator, keeping what follows for the next read.
public struct LineFramer: Sendable {
    public let terminator: [UInt8]
    private var buffer: [UInt8] = []

    public init(terminator: [UInt8]) {
        precondition(!terminator.isEmpty)
        self.terminator = terminator
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: [UInt8]) { buffer += bytes }

    /// Removes and returns the next whole line without its terminator, or nil if none is complete.
    public mutating func nextLine() -> [UInt8]? {
        let t = terminator.count
        guard buffer.count >= t else { return nil }
        for i in 0...(buffer.count - t) where buffer[i..<(i + t)].elementsEqual(terminator) {
            let line = Array(buffer[..<i])
            buffer.removeFirst(i + t)
            return line
        }
        return nil
    }

    /// Removes and returns the first `count` buffered bytes (for length-prefixed blocks).
    public mutating func consume(_ count: Int) -> [UInt8] {
        let n = min(count, buffer.count)
        defer { buffer.removeFirst(n) }
        return Array(buffer[..<n])
    }

    /// Bytes received that do not yet form a line.
    public var pending: [UInt8] { buffer }
    public mutating func reset() { buffer.removeAll() }
}
