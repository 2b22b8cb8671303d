import NIOCore

/// Closes a node's connection that has sent nothing for a while: the backstop behind gRPC's own idle
/// handling, whose graceful close waits for the client to answer a ping, so a client that never answers
/// (or never spoke HTTP/2 at all) would otherwise hold its socket for ever.
///
/// It sits first in the connection's pipeline, after `IdleStateHandler(readTimeout:)`, and so sees the raw
/// bytes: any byte from the client — a call, a ping's ack — resets the timer. A live client is never cut:
/// the node pings it after each quiet `idleTimeout` (keepalive), and its ack is a read.
final class SilentConnectionCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension ServerLimits {
    /// How long a connection may send nothing before the node closes it: the idle timeout, then the time
    /// the client has to answer the node's ping (min(20 s, idle timeout)), then one second of slack.
    var silentConnectionTimeout: Duration { idleTimeout + min(.seconds(20), idleTimeout) + .seconds(1) }

    /// Adds the silent-connection backstop at the head of an accepted connection's pipeline.
    @Sendable func installSilenceBackstop(on channel: any Channel) -> EventLoopFuture<Void> {
        let (s, atto) = silentConnectionTimeout.components
        let timeout = TimeAmount.nanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers(
                [IdleStateHandler(readTimeout: timeout), SilentConnectionCloser()], position: .first)
        }
    }
}
