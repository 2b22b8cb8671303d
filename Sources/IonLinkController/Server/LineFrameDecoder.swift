import NIOCore

/// Splits a connection's bytes into newline-terminated lines (pc_rpc's framing), without the newline (or a
/// `\r` before it); a line longer than `maximum` bytes closes the connection instead of growing without bound.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maximum: Int

    struct LineTooLong: Error, CustomStringConvertible {
        let maximum: Int
        var description: String { "a pc_rpc line longer than \(maximum) bytes" }
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let end = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximum { throw LineTooLong(maximum: maximum) }
            return .needMoreData
        }
        let length = view.distance(from: view.startIndex, to: end)
        guard length <= maximum, var line = buffer.readSlice(length: length) else { throw LineTooLong(maximum: maximum) }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: length - 1) ?? line }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A last line without its newline is not a request (sipyco's readline would not return it either).
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
