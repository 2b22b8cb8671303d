import Foundation
import IonLink

/// What a caller may do on a node.
public enum AccessRole: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Read device state, identities, the clock, tag streams and runs.
    case observe
    /// Everything `observe` may, and command devices, start and stop runs.
    case control

    public static func < (a: AccessRole, b: AccessRole) -> Bool { a == .observe && b == .control }

    var wire: Ionlink_V1_Role { self == .control ? .control : .observe }
}

/// An authenticated caller.
public struct Caller: Sendable, Hashable {
    public var principal: String
    public var role: AccessRole
    public init(principal: String, role: AccessRole) {
        self.principal = principal
        self.role = role
    }
    /// The caller of the RPC being handled (set by ``AccessInterceptor``; nil outside one).
    @TaskLocal public static var current: Caller?
}

/// A tokens file that cannot be used.
public enum AccessPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    case config(ConfigError)
    case unreadable(path: String, message: String)
    /// Group or others may read the file (mode shown in octal): a token must stay secret.
    case readableByOthers(path: String, mode: String)
    case tokenTooShort(principal: String, line: Int)
    case duplicateToken(principal: String, line: Int)

    public var description: String {
        switch self {
        case let .config(e): "tokens: \(e)"
        case let .unreadable(p, m): "tokens file \(p): \(m)"
        case let .readableByOthers(p, m): "tokens file \(p) has mode \(m): others may read it; chmod 600 it"
        case let .tokenTooShort(p, l): "tokens line \(l): the token of '\(p)' is shorter than 16 characters"
        case let .duplicateToken(p, l): "tokens line \(l): the token of '\(p)' is already another principal's"
        }
    }
}

/// Bearer tokens and the role each grants.
///
/// The file (YAML, mode 600) lists principals:
/// ```yaml
/// tokens:
///   - principal: alice        # who; shows in the node's log
///     role: control           # observe | control
///     token: 3f9c0a…          # at least 16 characters; `openssl rand -hex 24` makes one
/// ```
public struct AccessPolicy: Sendable {
    struct Entry: Sendable {
        var token: [UInt8]
        var caller: Caller
    }
    let entries: [Entry]

    /// A policy from principals and their tokens.
    public init(tokens: [(token: String, caller: Caller)]) {
        entries = tokens.map { Entry(token: Array($0.token.utf8), caller: $0.caller) }
    }

    /// Parses a tokens file's text.
    public static func parse(yaml: String) throws(AccessPolicyError) -> AccessPolicy {
        var read: [(token: String, caller: Caller, line: Int)] = []
        do throws(ConfigError) {
            let top = try ConfigSection.root(yaml: yaml)
            for s in try top.list("tokens") {
                let principal = try s.string("principal")
                let role = AccessRole(rawValue: try s.choice("role", of: AccessRole.allCases.map(\.rawValue)))!
                read.append((try s.string("token"), Caller(principal: principal, role: role), s.line))
                try s.finish()
            }
            try top.finish()
        } catch {
            throw .config(error)
        }
        for (i, e) in read.enumerated() {
            guard e.token.count >= 16 else { throw .tokenTooShort(principal: e.caller.principal, line: e.line) }
            guard !read[..<i].contains(where: { $0.token == e.token }) else {
                throw .duplicateToken(principal: e.caller.principal, line: e.line)
            }
        }
        return AccessPolicy(tokens: read.map { ($0.token, $0.caller) })
    }

    /// Reads a tokens file, refusing one that group or others may read.
    public static func load(path: String) throws(AccessPolicyError) -> AccessPolicy {
        let text: String
        do { text = try SecretFile.read(path) } catch {
            switch error {
            case let .unreadable(p, m): throw .unreadable(path: p, message: m)
            case let .readableByOthers(p, m): throw .readableByOthers(path: p, mode: m)
            }
        }
        return try parse(yaml: text)
    }

    /// The caller an `authorization` header value names, or nil. Tokens are compared in constant time.
    public func caller(authorization header: String) -> Caller? {
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { return nil }
        let presented = Array(header.dropFirst(prefix.count).utf8)
        var found: Caller?
        for e in entries where Self.equal(e.token, presented) { found = e.caller }
        return found
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return diff == 0
    }
}
