import IonLink

extension LineSession {
    /// Sends `command` and returns its one reply line as it came, unchecked (for drivers that judge the
    /// line themselves, such as an identification reply that may come from another instrument); a
    /// transport failure becomes a `K` device error.
    public func firstLine<K>(_ command: String, device: String, as _: DeviceError<K>.Type) async throws(DeviceError<K>) -> String {
        do { return try await transaction(command) { _ in true }[0] } catch { throw DeviceError<K>(error, device: device, command: command) }
    }

    /// Sends `command` and returns its one reply line, which must be printable ASCII (anything else is a
    /// malformed reply, and the session resynchronises); a transport failure becomes a `K` device error.
    public func replyLine<K>(_ command: String, device: String, as kind: DeviceError<K>.Type) async throws(DeviceError<K>) -> String {
        let reply = try await firstLine(command, device: device, as: kind)
        guard reply.isPrintableASCII else {
            await resynchronise()
            throw .malformedReply(device: device, command: command, reply: reply)
        }
        return reply
    }

    /// The comma-separated fields of the reply to an identification query (`*IDN?`), trimmed.
    public func identificationFields<K>(_ query: String = "*IDN?", device: String, as kind: DeviceError<K>.Type)
        async throws(DeviceError<K>) -> (reply: String, fields: [String])
    {
        let reply = try await replyLine(query, device: device, as: kind)
        return (reply, reply.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
    }
}
