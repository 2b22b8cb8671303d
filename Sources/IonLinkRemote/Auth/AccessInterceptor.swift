import GRPCCore
import Logging

/// Authenticates every call by its bearer token and refuses what the caller's role does not allow.
///
/// A call without a token or with an unknown one ends `UNAUTHENTICATED`; an observer calling a method
/// that only controls ends `PERMISSION_DENIED`. Methods that both read and command (the device calls,
/// the clock) check the command in the service, through ``Caller/current``.
public struct AccessInterceptor: ServerInterceptor {
    let policy: AccessPolicy
    let logger: Logger

    /// Methods that always change the lab.
    static let controlMethods: Set<String> = ["StartRun", "StopRun", "ProgramPulses", "RunBurst"]

    public init(policy: AccessPolicy, logger: Logger) {
        self.policy = policy
        self.logger = logger
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.method
        let headers = Array(request.metadata[stringValues: "authorization"])
        guard let header = headers.first else {
            logger.warning("refused: no token", metadata: ["peer": "\(context.remotePeer)", "method": "\(method)"])
            throw RPCError(code: .unauthenticated, message: "no bearer token: send `authorization: Bearer <token>`")
        }
        // Two credentials on one call: which one speaks is a matter of whoever reads first; refuse instead.
        guard headers.count == 1 else {
            logger.warning("refused: \(headers.count) authorization headers", metadata: ["peer": "\(context.remotePeer)", "method": "\(method)"])
            throw RPCError(code: .unauthenticated, message: "\(headers.count) authorization headers; send exactly one bearer token")
        }
        guard let caller = policy.caller(authorization: header) else {
            logger.warning("refused: unknown token", metadata: ["peer": "\(context.remotePeer)", "method": "\(method)"])
            throw RPCError(code: .unauthenticated, message: "the bearer token is not one this node knows")
        }
        if Self.controlMethods.contains(method) && caller.role < .control {
            logger.warning("refused: needs control", metadata: ["principal": "\(caller.principal)", "method": "\(method)"])
            throw RPCError(code: .permissionDenied, message: "\(method) needs the control role; \(caller.principal) may observe only")
        }
        logger.debug("call", metadata: ["principal": "\(caller.principal)", "method": "\(method)"])
        var response = try await Caller.$current.withValue(caller) { try await next(request, context) }
        // A streaming response's body runs after this returns, outside the task-local scope above: run it
        // inside one too, so that the services see the caller there as well (a run's log named 'principal=?').
        if case var .success(contents) = response.accepted {
            let producer = contents.producer
            contents.producer = { writer in try await Caller.$current.withValue(caller) { try await producer(writer) } }
            response.accepted = .success(contents)
        }
        return response
    }
}

/// Refuses a command from a caller who may only observe.
func requireControl(_ what: String) throws {
    guard let caller = Caller.current else {
        throw RPCError(code: .unauthenticated, message: "no authenticated caller")
    }
    guard caller.role >= .control else {
        throw RPCError(code: .permissionDenied, message: "\(what) needs the control role; \(caller.principal) may observe only")
    }
}
