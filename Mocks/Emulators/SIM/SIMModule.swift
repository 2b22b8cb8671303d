/// A module in a SIM900 mainframe slot: lines in, reply lines out (the module ends each with CR LF).
public protocol SIMModule: AnyObject {
    func handle(_ line: String) -> [String]
}
