/// A module in a SIM900 mainframe slot: lines in, reply lines out, each ended by the module's
/// ``terminator`` (CR LF at power-on; a module's `TERM` may change it).
public protocol SIMModule: AnyObject {
    func handle(_ line: String) -> [String]
    /// What the module appends to each reply line.
    var terminator: String { get }
}

extension SIMModule {
    public var terminator: String { "\r\n" }
}
