import Foundation
import IonLink
import IonLinkAssembly

/// A run spread over several `ionlink serve` nodes: where each part of the lab is served.
///
/// ```yaml
/// distributed:
///   lab: default              # the lab YAML the nodes were started with (its pulse timing and model); or a path
///   token_file: coordinator.token   # the bearer token presented to every node (mode 600)
///   nodeA: 127.0.0.1:7401     # host:port of the node serving nodeA.cooling, nodeA.excitation, nodeA.trap
///   nodeB: 127.0.0.1:7402
///   hub: 127.0.0.1:7400       # detectors, tagger, pulse generator, attempt loop and the lab clock
///   tls:                      # optional: verify the nodes against this authority, present this certificate
///     authority: ca.pem
///     certificate: coordinator.pem
///     key: coordinator.key
/// ```
/// Relative paths are taken from the file's folder.
public struct DistributedConfig: Sendable, Hashable {
    /// The lab YAML's path, or nil for the built-in lab.
    public var lab: String?
    public var token: String
    public var nodeA: HostPort
    public var nodeB: HostPort
    public var hub: HostPort
    public var tls: TLSFiles?

    public struct HostPort: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int
        public var description: String { "\(host):\(port)" }

        /// Parses `host:port` (port 1...65535); nil if it is not that.
        public init?(_ text: String) {
            guard let colon = text.lastIndex(of: ":"), colon > text.startIndex, let port = Int(text[text.index(after: colon)...]),
                  (1...65535).contains(port) else { return nil }
            host = String(text[..<colon])
            self.port = port
        }
    }

    /// Whether a YAML document is a distributed run's config (its top-level key is `distributed`).
    public static func describes(yaml: String) -> Bool {
        ConfigSection.rootHas("distributed", yaml: yaml)
    }

    /// Parses the document; `folder` resolves relative paths. The token file must be the owner's alone.
    public static func parse(yaml: String, folder: String) throws(ConfigError) -> DistributedConfig {
        let top = try ConfigSection.root(yaml: yaml)
        let s = try top.section("distributed")
        func path(_ p: String) -> String { p.hasPrefix("/") ? p : (folder as NSString).appendingPathComponent(p) }
        func hostPort(_ key: String) throws(ConfigError) -> HostPort {
            let text = try s.string(key)
            guard let hp = HostPort(text) else { throw .wrongType(path: s.full(key), expected: "host:port", found: text, line: s.lineOf(key)) }
            return hp
        }
        let labKey = try s.has("lab") ? s.string("lab") : "default"
        let tokenPath = path(try s.string("token_file"))
        let token: String
        do { token = try SecretFile.read(tokenPath).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
            switch error {
            case let .readableByOthers(_, mode):
                throw .outOfRange(path: s.full("token_file"), value: "mode \(mode)", allowed: "a file only its owner may read (chmod 600)",
                                  line: s.lineOf("token_file"))
            case let .unreadable(p, m): throw .unreadable(path: p, message: m)
            }
        }
        guard !token.isEmpty else {
            throw .outOfRange(path: s.full("token_file"), value: "an empty file", allowed: "a bearer token", line: s.lineOf("token_file"))
        }
        var tls: TLSFiles?
        if s.has("tls") {
            let t = try s.section("tls")
            tls = TLSFiles(certificate: try t.has("certificate") ? path(t.string("certificate")) : nil,
                           key: try t.has("key") ? path(t.string("key")) : nil,
                           authority: try t.has("authority") ? path(t.string("authority")) : nil)
            try t.finish()
            if (tls?.certificate == nil) != (tls?.key == nil) {
                throw .missingKey(path: t.full(tls?.certificate == nil ? "certificate" : "key"), line: t.line)
            }
        }
        let config = DistributedConfig(lab: labKey == "default" ? nil : path(labKey), token: token, nodeA: try hostPort("nodeA"),
                                       nodeB: try hostPort("nodeB"), hub: try hostPort("hub"), tls: tls)
        try s.finish()
        try top.finish()
        return config
    }

    /// The endpoint of a part of the lab.
    public func endpoint(_ part: LabPart) -> NodeEndpoint {
        let hp = switch part {
        case .nodeA: nodeA
        case .nodeB: nodeB
        case .hub: hub
        }
        return NodeEndpoint(host: hp.host, port: hp.port, token: token, tls: tls)
    }
}
