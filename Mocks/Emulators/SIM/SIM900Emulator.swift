import Foundation

/// SRS SIM900 mainframe, as its manual describes the host interface (RS-232 9600 8N1, commands end in
/// LF; summarised in docs/wire-protocols.md, "SRS SIM900 + SIM928 + SIM970"). Modules sit in ports
/// 1–8; each port has an output queue holding
/// what its module sent (lines ended CR LF).
/// - `*IDN?`, `*DCL` (clear every queue), `FLSH [p]`, `SRST [p]` (no port: all);
/// - `CTCR?` → bit p set when port p has a module connected (as independent clients read it: qcodes_contrib,
///   LabRAD and QTLab SIM900 drivers; the manual's page was not at hand); `NINP? p` → bytes waiting;
/// - `SNDT p,"msg"` sends msg (plus its terminator) to the module; quotes may be `"` or `'`;
/// - `GETN? p,n` → `#3nnn` + up to n bytes of the queue, then CR LF; `RAWN? p,n` → the bytes alone;
/// - `CONN p,"esc"` passes everything through to the module (and its replies straight back) until the
///   escape string; `TERM p,LF` sets the port's terminator (accepted).
/// Unknown commands get no reply.
public final class SIM900Emulator: InstrumentEmulator {
    public var modules: [Int: any SIMModule]
    private var queues: [Int: [UInt8]] = [:]
    private var buffer: [UInt8] = []
    private var passThrough: (port: Int, escape: [UInt8])?

    public init(modules: [Int: any SIMModule]) { self.modules = modules }

    /// The usual SNSPD rack: a SIM928 in port 1 biasing the wire, a SIM970 in port 7 reading the bias
    /// resistor on its channel 1, sharing one ``SNSPDCircuit``.
    public static func snspdBiasRack(circuit: SNSPDCircuit = SNSPDCircuit()) -> SIM900Emulator {
        snspdBiasRack(circuits: [circuit])
    }

    /// A rack for several wires: wire k (from 1) is biased by a SIM928 in port k and read on channel k
    /// of the SIM970 in port 7 (so at most four).
    public static func snspdBiasRack(circuits: [SNSPDCircuit]) -> SIM900Emulator {
        precondition((1...4).contains(circuits.count))
        var modules: [Int: any SIMModule] = [
            7: SIM970Emulator(circuits: Dictionary(uniqueKeysWithValues: circuits.enumerated().map { ($0.offset + 1, $0.element) }))
        ]
        for (k, c) in circuits.enumerated() {
            let source = SIM928Emulator(circuit: c)
            source.serialNumber = "s/n01785\(k + 4)"
            modules[k + 1] = source
        }
        return SIM900Emulator(modules: modules)
    }

    public func receive(_ bytes: [UInt8]) -> [[UInt8]] {
        buffer += bytes
        var out: [[UInt8]] = []
        while true {
            if let conn = passThrough {
                // Pass-through: forward whole lines to the module until the escape string appears.
                if let r = buffer.firstRange(of: conn.escape) {
                    let before = Array(buffer[..<r.lowerBound])
                    buffer.removeFirst(r.upperBound)
                    out += forward(before, to: conn.port)
                    passThrough = nil
                    continue
                }
                guard let end = buffer.lastIndex(of: 0x0A) else { break }
                let chunk = Array(buffer[...end])
                buffer.removeFirst(end + 1)
                out += forward(chunk, to: conn.port)
                continue
            }
            guard let end = buffer.firstIndex(of: 0x0A) else { break }
            var line = String(decoding: buffer[..<end], as: UTF8.self)
            buffer.removeFirst(end + 1)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty { continue }
            if let reply = execute(line) { out.append(Array(reply.utf8)) }
        }
        return out
    }

    private func forward(_ bytes: [UInt8], to port: Int) -> [[UInt8]] {
        var replies: [[UInt8]] = []
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            if let module = modules[port] {
                for r in module.handle(String(line)) { replies.append(Array((r + module.terminator).utf8)) }
            }
        }
        return replies
    }

    /// Splits `p,"text"` / `p,'text'` / `p,n` arguments.
    private func arguments(_ text: Substring) -> [String] {
        var args: [String] = []
        var current = ""
        var quote: Character?
        for ch in text {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            } else if ch == "," {
                args.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else {
                current.append(ch)
            }
        }
        args.append(current.trimmingCharacters(in: .whitespaces))
        return args.filter { !$0.isEmpty }
    }

    private func execute(_ line: String) -> String? {
        let header = line.prefix { $0 != " " }.uppercased()
        let args = arguments(line.dropFirst(header.count))
        let port = args.first.flatMap { Int($0) }
        func validPort() -> Int? { port.flatMap { (1...8).contains($0) ? $0 : nil } }
        switch header {
        case "*IDN?": return "Stanford_Research_Systems,SIM900,s/n105794,ver3.6\r\n"
        case "*DCL": queues.removeAll(); return nil
        case "FLSH", "SRST":
            if let p = validPort() { queues[p] = [] } else { queues.removeAll() }
            return nil
        case "CTCR?":
            // The ports whose module is connected, whatever their queues hold (clients find their modules by it
            // right after SRST or *DCL).
            let bits = (1...8).reduce(0) { acc, p in modules[p] != nil ? acc | (1 << p) : acc }
            return "\(bits)\r\n"
        case "NINP?":
            guard let p = validPort() else { return nil }
            return "\(queues[p]?.count ?? 0)\r\n"
        case "SNDT":
            guard let p = validPort(), args.count >= 2, let module = modules[p] else { return nil }
            for r in module.handle(args[1]) { queues[p, default: []] += Array((r + module.terminator).utf8) }
            return nil
        case "GETN?", "RAWN?":
            guard let p = validPort(), args.count >= 2, let n = Int(args[1]), n >= 0 else { return nil }
            let q = queues[p] ?? []
            let take = min(n, q.count, 999)
            queues[p] = Array(q.dropFirst(take))
            let data = String(decoding: q.prefix(take), as: UTF8.self)
            return header == "GETN?" ? "#3" + String(format: "%03d", take) + data + "\r\n" : data
        case "CONN":
            guard let p = validPort(), args.count >= 2 else { return nil }
            passThrough = (p, Array(args[1].utf8))
            return nil
        case "TERM": return nil
        default: return nil
        }
    }
}
