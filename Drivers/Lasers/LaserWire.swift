import IonLink

/// What every serial laser driver does with its transport's errors and replies.
enum LaserWire {
    /// A finite number, or a malformed-reply error.
    static func number(_ text: String, device: String, command: String) throws(LaserError) -> Double {
        guard let d = Double(text.trimmingCharacters(in: .whitespaces)), d.isFinite else {
            throw .malformedReply(device: device, command: command, reply: text)
        }
        return d
    }

    /// An instrument's own maximum (power, current): a finite number not below zero, else a malformed
    /// reply. A negative maximum would make the setpoint limit's bounds cross.
    static func maximum(_ text: String, device: String, command: String) throws(LaserError) -> Double {
        let d = try number(text, device: device, command: command)
        guard d >= 0 else { throw .malformedReply(device: device, command: command, reply: text) }
        return d
    }
}
