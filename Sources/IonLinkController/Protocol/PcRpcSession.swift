import Logging

/// One pc_rpc connection's protocol, apart from its socket (sipyco `pc_rpc.Server._handle_connection_cr`):
///
/// 1. the client sends `ARTIQ pc_rpc`; the server answers `{"targets": […], "description": …, "features": ["pyon_v2"]}`;
/// 2. the client selects a target, with the features it takes (`nodeA.cooling pyon_v2`); the server answers the
///    set of the target's method names;
/// 3. each further line is a request, `{"action": "call", "name", "args", "kwargs"}` or
///    `{"action": "get_rpc_method_list"}`, answered `{"status": "ok", "ret": …}` or
///    `{"status": "failed", "exception": …}`.
///
/// A wrong greeting, an unknown target or feature ends the connection, as sipyco's server ends it. Only
/// PYON v2 is spoken (sipyco's clients select it whenever a server offers it); a client that does not
/// select it is closed with a log line. A request that is not PYON, or not a request, is answered as a
/// failed call (sipyco would drop the connection) so that a client stays in step.
public struct PcRpcSession: Sendable {
    /// What to do after a line.
    public struct Step: Sendable, Equatable {
        /// The line to send back (without its newline), if any.
        public var reply: String?
        /// Close this connection after sending `reply`.
        public var close = false
        /// The client called `terminate()`: stop the whole server after sending `reply`.
        public var terminate = false
    }

    private enum State: Sendable { case greeting, selecting, serving(ControllerTarget) }

    private var state = State.greeting
    private let targets: [String: ControllerTarget]
    private let description: String?
    private let logger: Logger

    public init(targets: [String: ControllerTarget], description: String?, logger: Logger) {
        self.targets = targets
        self.description = description
        self.logger = logger
    }

    /// The `ARTIQ pc_rpc` greeting.
    public static let greeting = "ARTIQ pc_rpc"

    public mutating func receive(_ line: String) async -> Step {
        switch state {
        case .greeting:
            guard line == Self.greeting else { return Step(close: true) }
            state = .selecting
            let id = PyonValue.object(["targets": .list(targets.keys.sorted().map(PyonValue.string)),
                                       "description": description.map(PyonValue.string) ?? .none, "features": .list([.string("pyon_v2")])])
            return Step(reply: id.json())
        case .selecting:
            let words = line.split(separator: " ").map(String.init)
            guard let name = words.first, let target = targets[name] else {
                logger.info("pc_rpc: unknown target, connection closed", metadata: ["target": "\(line.prefix(100))"])
                return Step(close: true)
            }
            let features = words.dropFirst()
            guard features.allSatisfy({ $0 == "pyon_v2" }), features.contains("pyon_v2") else {
                logger.warning("pc_rpc: the client did not select pyon_v2 (an old sipyco?); connection closed",
                               metadata: ["device": "\(name)", "features": "\(features.joined(separator: " "))"])
                return Step(close: true)
            }
            state = .serving(target)
            return Step(reply: PyonValue.set((target.methodNames + ["terminate"]).map(PyonValue.string)).json())
        case let .serving(target):
            return await serve(line, on: target)
        }
    }

    private func serve(_ line: String, on target: ControllerTarget) async -> Step {
        let request: PyonValue
        do { request = try PyonValue(json: line) } catch { return failed(.value("malformed request: \(error)")) }
        switch request["action"] {
        case .string("get_rpc_method_list"):
            var methods = target.methods.values.sorted { $0.name < $1.name }.map { PyonValue.Entry(.string($0.name), $0.described) }
            methods.append(.init(.string("terminate"), ControllerMethod("terminate", doc: "Terminate the server.") { _ in .none }.described))
            return ok(.object(["docstring": .string(target.docstring), "methods": .dict(methods)]))
        case .string("call"):
            guard case let .string(name) = request["name"] else { return failed(.value("a call without a method name")) }
            guard let args = request["args"]?.elements, case let .dict(kwargs)? = request["kwargs"] else {
                return failed(.arguments("\(name)(): args must be a list or tuple and kwargs a dict"))
            }
            if name == "terminate" {
                logger.notice("pc_rpc: terminate() called", metadata: ["device": "\(target.name)"])
                return Step(reply: Self.okLine(.none), close: true, terminate: true)
            }
            guard let method = target.methods[name] else {
                return failed(ControllerFailure("AttributeError", "'\(target.name)' has no method '\(name)'"))
            }
            logger.debug("pc_rpc call", metadata: ["device": "\(target.name)", "command": "\(name)"])
            do { return ok(try await method.call(args: args, kwargs: kwargs)) } catch {
                logger.info("pc_rpc call failed", metadata: ["device": "\(target.name)", "command": "\(name)", "error": "\(error)"])
                return failed(error)
            }
        default:
            return failed(.value("Unknown action: \(request["action"]?.json() ?? "none")"))
        }
    }

    private static func okLine(_ value: PyonValue) -> String { PyonValue.object(["status": .string("ok"), "ret": value]).json() }
    private func ok(_ value: PyonValue) -> Step { Step(reply: Self.okLine(value)) }
    private func failed(_ failure: ControllerFailure) -> Step {
        Step(reply: PyonValue.object(["status": .string("failed"), "exception": failure.packed]).json())
    }
}
